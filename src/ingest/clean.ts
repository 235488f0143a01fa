import { toSimplified } from "../text/script.ts";

/**
 * Cleaning of scraped training documents: a pure function from raw text to the text worth
 * indexing. What it removes, and how each kind is recognised, is listed in RemovalKind; line
 * patterns are matched on a Simplified copy of the line, so each is written once.
 */
export type RemovalKind =
  | "page-marker"
  | "download-notice"
  | "copyright"
  | "navigation"
  | "related-list"
  | "footer"
  | "contact"
  | "url"
  | "hashtag"
  | "pinyin"
  | "mojibake"
  | "course-header"
  | "slide-template"
  | "table-of-contents"
  | "table";

export interface CleanResult {
  /** cleaned text, one paragraph or heading per line */
  text: string;
  /** the document's title from Markdown front matter or the page markers (`電話催收新人培訓_第1頁`) */
  title: string | null;
  /** how many pieces of each kind were removed */
  removed: Partial<Record<RemovalKind, number>>;
}

type LineRule = [RemovalKind, RegExp];

const HAN = "\\p{Script=Han}";

/** Whole lines to drop. Written in Simplified; tested against the Simplified form of each line. */
const LINE_RULES: LineRule[] = [
  ["page-marker", /^.{0,80}?[_＿—-]+\s*第\s*\d+\s*页$/],
  ["page-marker", /^第\s*\d+\s*页\s*[,，/／]?\s*(共\s*\d+\s*页)?$/],
  ["page-marker", /^[-—–]\s*\d{1,4}\s*[-—–]$/],
  ["page-marker", /^(page|p\.)\s*\d+(\s*(of|\/)\s*\d+)?$/i],
  [
    "download-notice",
    /已阅读\s*\d+\s*页|还剩\s*\d+\s*页|继续(免费)?阅读$|^(免费|点击|立即)下载|下载(本|此|该)文档|^下载文档|^文档(简介|介绍|格式|大小|页数)/,
  ],
  [
    "copyright",
    /^(版权|著作权)(说明|声明|所有|归)|^(免责|特别|郑重)?声明[:：]|^(copyright|©)|版权所有|收益归属/i,
  ],
  [
    "copyright",
    /转载(需|请|须)?(经|获得|注明|联系)?(授权|出处|来源|作者)|未经(权益所有人|作者|本站)?(同意|授权|许可).{0,20}(转载|商业|盈利)/,
  ],
  [
    "copyright",
    /(内容|文档|文件|作品|图片).{0,6}侵权.{0,20}(举报|联系|删除|认领|告知|纠正)|(本站|本网站)(所有|的|仅|不保证|提供)/,
  ],
  ["copyright", /人人文库|百度文库|道客巴巴|原创力文档|豆丁网|文库网/],
  ["navigation", /^(导航|当前位置|您的位置|您现在的位置|所在位置|位置)\s*[:：>]/],
  ["navigation", /^首页\s*[>›»/]/],
  ["navigation", /^.{1,20}(\s[>›»]\s.{1,30}){2,}$/],
  [
    "navigation",
    /^(发布时间|发布日期|发表时间|更新时间|更新日期|来源|文章来源|作者|责任编辑|编辑|浏览次数|浏览量|点击量|阅读量|阅读数|字数|标签|关键词|tags?)\s*[:：].{0,60}$/i,
  ],
  [
    "navigation",
    /^(返回顶部|返回首页|返回列表|上一篇|下一篇|分享到|打印本页|关闭窗口|收藏本文|扫一扫|用手机(访问|扫描|打开|阅读))|^(上一页|下一页|手机版|电脑版|点赞|收藏|分享|举报)\s*\d*$/,
  ],
  [
    "related-list",
    /^(相关文章|相关阅读|相关推荐|推荐阅读|猜你喜欢|热点内容|热门文章|热门推荐|最新文档|最新文章|延伸阅读|精彩推荐|相关资料|热门标签|相关标签|相关搜索|阅读全文|查看全文|展开全文|评论|提交评论|发表评论|我要评论|网友评论|全部评论|\d+条评论)\s*[:：]?$/,
  ],
  ["related-list", /^与.{1,40}相关的(资料|文章|内容)$/],
  ["related-list", /^\(\d+\).{0,40}(扩展|延伸)阅读\s*[:：]?$/],
  ["related-list", /(浏览|阅读|点击|下载)(量|次数)?\s*[:：]?\s*\d+\s*(次)?$/],
  ["related-list", /^\d{1,4}\s*\/\s*\d{1,4}$/],
  [
    "course-header",
    /^(课程类别|课程类型|课程名称|课程编号|开课时间|开课日期|上课时间|课程价格|课程费用|培训费用|收费标准|适合对象|适用对象|培训对象|课程对象|参训对象|授课讲师|主讲老师|主讲|课程时长|课时|上课地点|培训地点|培训时间|报名方式)\s*[:：]/,
  ],
  ["course-header", /^.{0,20}(课程|培训|学费|费用|价格).{0,10}\d+(\.\d+)?\s*元\s*\/\s*(人|天|期)/],
  ["hashtag", /^(#[^#\s]{1,40}\s*)+#?$/],
];

/** A line that starts what is left of a web page after the article: everything from it on goes. */
const FOOTER_START =
  /^(温馨提示|阅读全文|查看全文|相关文章|相关阅读|相关推荐|推荐阅读|猜你喜欢|热点内容|热门文章|最新文档|最新文章|延伸阅读|精彩推荐|评论|提交评论|发表评论|网友评论|本文链接|原文链接|扫一扫|版权所有)|^与.{1,40}相关的资料$|^(获取|了解)更多.{0,20}(致电|联系|咨询)/;

/** A contact line (`地址:…`, `邮箱:…`): dropped when it holds contact details or is short. */
const CONTACT_LABEL =
  /^(地址|联系地址|公司地址|通讯地址|邮箱|电子邮箱|邮件|e-?mail|电话|手机|联系电话|咨询电话|联系方式|联系人|微信|微信号|qq|传真|官网|网址|网站|邮编)\s*[:：]/i;
const CONTACT_DETAIL = /\d{5,}|@|www\.|https?:|[路街巷弄]\d+[号號]/;

/** A vendor's call to action: dropped when it is short or carried contact details. */
const SOLICITATION =
  /请致电|欢迎致电|咨询热线|服务热线|报名热线|报名咨询|欢迎来电|欢迎咨询|欢迎垂询|联系我们|加微信|扫码(添加|咨询|关注)/;

const PAGE_TITLE = /^(.{2,80}?)[_＿—-]+\s*第\s*\d+\s*[页頁]$/u;

type InlineRule = [RemovalKind, RegExp, string];

/** Pieces removed inside lines (both scripts where they differ). */
const INLINE_RULES: InlineRule[] = [
  ["contact", /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi, ""],
  ["url", /(?:https?:\/\/|www\.)[^\s，。；、）)\]】"'<>]+/gi, ""],
  [
    "url",
    /\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|cc|top|vip|xyz|info|biz|io)\b(?:\/[^\s，。；、）)]*)?/gi,
    "",
  ],
  ["contact", /(?<![\d])(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)/g, ""],
  ["contact", /(?<!\d)(?:[(（]0\d{2,3}[)）]\s*|0\d{2,3}[-－\s])\d{7,8}(?:(?:-|转|轉)\d{1,6})?(?!\d)/g, ""],
  ["contact", /(?<!\d)[48]00[-\s]?\d{3}[-\s]?\d{4}(?!\d)/g, ""],
  ["contact", /(?:QQ|qq|微信號?|微信号?|VX|vx|WX|wx)\s*[:：号號]?\s*[a-zA-Z0-9_-]{5,20}/g, ""],
  [
    "contact",
    new RegExp(
      `${HAN}{2,6}[省市区區县縣]${HAN}{0,16}?(?:路|街|巷|弄|大道)\\d+[号號](?:${HAN}{0,8}?[\\dA-Za-z]*[楼樓座室层層栋棟])*[A-Za-z\\d]*座?`,
      "gu",
    ),
    "",
  ],
  ["hashtag", /#[^#\s]{1,40}#/g, ""],
  ["hashtag", /(^|\s)#[^\s#]{1,40}(?=\s|$)/g, "$1"],
  ["slide-template", /(?:XX+|xx+)?有限公司(?=[汇匯][报報]人)/g, ""],
  ["slide-template", /(?:演[讲講]人|[汇匯][报報]人|主[讲講]人)\s*[:：]\s*(?:XX+|xx+)?/g, ""],
  ["slide-template", /日期\s*[:：]\s*(?:XX+|xx+)?(?![\d０-９\s])/g, ""],
  [
    "slide-template",
    /章[节節]副[标標][题題]|[单單]击此[处處]添加(?:[标標][题題]|文本|[内內]容)|未找到\s*bdjson/gi,
    "",
  ],
  ["slide-template", /(?<![A-Za-z])(?:CATALOGUE|CONTENTS)(?![A-Za-z])/g, ""],
];

const PINYIN_SYLLABLE =
  /^(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|vn|a|o|e|i|u|v)[1-5]?$/;
const PINYIN_ANNOTATION = new RegExp(
  `(?<=${HAN})[（(]\\s*([a-zA-Z\\u00e0-\\u01dc\\u0300-\\u036f]{1,8}(?:\\s+[a-zA-Z\\u00e0-\\u01dc\\u0300-\\u036f]{1,8}){0,3})\\s*[)）]`,
  "gu",
);

function isPinyin(s: string): boolean {
  if (s !== s.toLowerCase()) return false;
  return s.split(/\s+/).every((syl) =>
    PINYIN_SYLLABLE.test(
      syl
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .replaceAll("ü", "v"),
    ),
  );
}

const BULLET = /^(?:[-*+•·●○■□◆◇▪▸►★☆✔✓➢>]\s*)+/;
const INVISIBLE = /[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD]/g;
const MOJIBAKE_STOP = /[。，；！？\n,;:：!]/;
/** ASCII and the euro sign are single bytes in code page 936: where mis-decoding re-aligns. */
const MOJIBAKE_ASCII_END = /[!-/:-~€]/;

/**
 * Mis-decoded runs (`確??蛻粜畔⒌陌踩碗[私`, `適當?shù)膶捪藓瓦€款`): two question marks (or one
 * before a mangled pinyin annotation) glued to Han characters, then
 * garbage up to the last ASCII letter or symbol that re-aligned the bytes (within a clause).
 * Replaced by a sentence break; one or two stranded characters before a boundary go with it.
 */
function removeMojibake(text: string, count: () => void): string {
  let out = "";
  let i = 0;
  const start = /\?{2,}(?=\p{Script=Han})|\?[a-z\u00e0-\u01dc]{1,6}\)(?=\p{Script=Han})/gu;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    if (m.index < i) continue;
    // a character stranded between a comma and the run belongs to it (`制度,確??…`)
    out += text.slice(i, m.index).replace(/(?<=[，,、])\p{Script=Han}$/u, "");
    let j = m.index + m[0].length;
    const windowEnd = Math.min(text.length, j + 20);
    let lastAscii = -1;
    for (let k = j; k < windowEnd && !MOJIBAKE_STOP.test(text[k]!); k++) {
      if (MOJIBAKE_ASCII_END.test(text[k]!)) lastAscii = k;
    }
    if (lastAscii >= 0) {
      j = lastAscii + 1;
      const tail = /^\p{Script=Han}{1,2}(?=[\d。，；！？,;:：!\n]|$)/u.exec(text.slice(j));
      if (tail) j += tail[0].length;
    }
    out += "。";
    count();
    i = j;
    start.lastIndex = j;
  }
  return out + text.slice(i);
}

/**
 * A table of contents of run-together slides (`目錄01基礎知識02溝通技巧…06案例分析01基礎知識…`):
 * numbered items after 目录 until a number comes round again, where the content begins.
 */
function removeTableOfContents(text: string, count: () => void): string {
  const marker = /目[录錄]\s*(?=0?1\D)/g;
  let out = text;
  for (let m = marker.exec(out); m; m = marker.exec(out)) {
    const from = m.index;
    const item = /^(\d{1,2})([^\d\n]{1,30})/;
    const seen = new Set<number>();
    let k = from + m[0].length;
    let items = 0;
    for (;;) {
      const it = item.exec(out.slice(k));
      if (!it) break;
      const n = Number(it[1]);
      if (seen.has(n)) break;
      seen.add(n);
      items++;
      k += it[0].length;
    }
    if (items >= 3) {
      out = `${out.slice(0, from)}\n${out.slice(k)}`;
      count();
      marker.lastIndex = from + 1;
    }
  }
  return out;
}

/** Slide numbers glued into run-together text (`…規範02電話溝通…`, `…禮貌01020304根據…`) become line breaks. */
function breakSlideNumbers(text: string): string {
  return text
    .replace(/(?<=[\p{Script=Han}。；！？])(?:0[1-9]){2,}(?=\p{Script=Han})/gu, "\n")
    .replace(
      /(?<=[\p{Script=Han}。；！？])(?<![第年月])(0[1-9])(?=\p{Script=Han})(?![年月日号號时時点點分秒天个個元万萬期届屆级級版岁歲])/gu,
      "\n$1",
    );
}

function stripMarkup(line: string): string {
  return line
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<\/?[a-z][^>]*>/gi, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/`([^`]+)`/g, "$1");
}

function tableRow(line: string): string | null {
  const cells = line
    .split("|")
    .map((c) => c.trim())
    .filter(Boolean);
  if (cells.every((c) => /^[\s:：\-—–]*$/.test(c))) return null;
  const meaningful = cells.some((c) => (c.match(/\p{Script=Han}/gu)?.length ?? 0) >= 4);
  return meaningful ? cells.join("；") : null;
}

function tidy(line: string): string {
  return line
    .replace(/[ \t]+/g, " ")
    .replace(/[（(]\s*[)）]/g, "")
    .replace(/([。；！？])\s*[，,、；;。]+/g, "$1")
    .replace(/[，,、]\s*([。；！？])/g, "$1")
    .replace(/^[\s，,、；;。:：!！?？)）]+/, "")
    .trim();
}

const HAS_WORD = /[\p{Script=Han}A-Za-z]/u;

export function cleanText(raw: string): CleanResult {
  const removed: Partial<Record<RemovalKind, number>> = {};
  const bump = (k: RemovalKind, n = 1) => {
    removed[k] = (removed[k] ?? 0) + n;
  };

  let title: string | null = null;
  let text = raw
    .replace(/\r\n?/g, "\n")
    .replace(INVISIBLE, "")
    .replace(/[\u00A0\u3000\t]/g, " ")
    .replace(/^---\n([\s\S]*?)\n---\n/, (_m, front: string) => {
      title = /^title\s*:\s*["']?(.+?)["']?\s*$/m.exec(front)?.[1] ?? null;
      return "";
    });
  text = text.replace(PINYIN_ANNOTATION, (m, syl: string) => {
    if (!isPinyin(syl)) return m;
    bump("pinyin");
    return "";
  });
  text = removeMojibake(text, () => bump("mojibake"));

  const lines = text.split("\n");
  const total = text.length;
  const kept: string[] = [];
  let offset = 0;
  for (let idx = 0; idx < lines.length; idx++) {
    const original = lines[idx]!;
    const atOffset = offset;
    offset += original.length + 1;
    let line = stripMarkup(original.trim());
    const heading = /^#{1,6}\s+/.exec(line)?.[0] ?? "";
    line = line.slice(heading.length).replace(BULLET, "").trim();
    if (!line) continue;
    const simp = toSimplified(line);
    const simpRaw = toSimplified(original.trim());

    if (atOffset >= total * 0.5 && FOOTER_START.test(simp)) {
      bump("footer", lines.length - idx);
      break;
    }
    const pageTitle = PAGE_TITLE.exec(line);
    if (pageTitle && !title) title = tidy(pageTitle[1]!);
    const rule = LINE_RULES.find(([, re]) => re.test(simp) || re.test(simpRaw));
    if (rule) {
      bump(rule[0]);
      continue;
    }
    const contactLike = line.length < 40 || CONTACT_DETAIL.test(line.replace(/[\s-]/g, ""));
    if ((CONTACT_LABEL.test(simp) || SOLICITATION.test(simp)) && contactLike) {
      bump("contact");
      continue;
    }
    if (line.includes("|") && (/^\||\|$/.test(line) || line.split("|").length >= 3)) {
      const row = tableRow(line);
      if (row === null) {
        bump("table");
        continue;
      }
      line = row;
    }
    for (const [kind, re, replacement] of INLINE_RULES) {
      line = line.replace(re, (...args) => {
        bump(kind);
        return replacement.replace("$1", String(args[1] ?? ""));
      });
    }
    line = tidy(line);
    if (!HAS_WORD.test(line)) continue;
    kept.push(heading + line);
  }

  text = removeTableOfContents(kept.join("\n"), () => bump("table-of-contents"));
  text = breakSlideNumbers(text);
  const out = text
    .split("\n")
    .map(tidy)
    .filter((l) => HAS_WORD.test(l) && l.replace(/^#{1,6}\s+/, "").length > 0)
    .join("\n");
  return { text: out, title, removed };
}
