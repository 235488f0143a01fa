import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cleanText } from "../../src/ingest/clean.ts";
import { BOILERPLATE, fixture } from "./helpers.ts";

/** Enough real content before a block so that it sits in the document's first half. */
const BODY = "催收员在通话中要保持冷静和礼貌，先核实身份，再说明来意，并如实记录客户反馈的困难。\n".repeat(4);
/** Real content after a block, long enough that the block is not taken for the page's footer. */
const TAIL = BODY.repeat(4);

describe("cleanText: each kind of boilerplate", () => {
  it("drops page markers and takes the document title from them", () => {
    const r = cleanText(
      `電話催收新人培訓(xùn)_第1頁\n電話催收新人培訓(xùn)_第2頁\n第3页 共28页\n- 4 -\n${BODY}`,
    );
    expect(r.title).toBe("電話催收新人培訓");
    expect(r.text).toBe(BODY.trim());
    expect(r.removed["page-marker"]).toBe(4);
  });

  it("drops download notices", () => {
    const r = cleanText(`已閱讀5頁,還剩28頁未讀, 繼續(xù)免費閱讀\n\n下載本文檔\n\n文檔簡介\n${BODY}`);
    expect(r.text).toBe(BODY.trim());
    expect(r.removed["download-notice"]).toBe(3);
  });

  it("drops copyright and site-disclaimer blocks", () => {
    const text = [
      "版權(quán)說明:本文檔由用戶提供並上傳,收益歸屬內(nèi)容提供方,若內(nèi)容存在侵權(quán),請進行舉報或認領(lǐng)",
      BODY,
      "  • 1. 本站所有資源如無特殊說明,都需要本地電腦安裝OFFICE2007和PDF閱讀器。",
      "  • 5. 人人文庫網(wǎng)僅提供信息存儲空間,僅對用戶上傳內(nèi)容的表現(xiàn)方式做保護處理。",
      "本文链接:http://hjtjz.cn/p/5413.html 转载需授权!",
      TAIL,
    ].join("\n");
    const r = cleanText(text);
    expect(r.text).toBe(`${BODY}${TAIL}`.trim());
    expect(r.removed.copyright).toBe(4);
  });

  it("drops site navigation, breadcrumbs and page metadata", () => {
    const r = cleanText(
      `導航:首頁 > 心得總結 > 催收培訓內容需求\n首页 > 催收 > 技巧\n發布時間:2021-03-11 11:58:40\n来源：某某网\n${BODY}扫一扫二维码\n用手机访问\n${TAIL}`,
    );
    expect(r.text).toBe(`${BODY}${TAIL}`.trim());
    expect(r.removed.navigation).toBe(6);
  });

  it("drops related-article lists, view counters and comment widgets", () => {
    const text = [
      BODY,
      "(6)催收培訓內容需求擴展閱讀:",
      "熱點內容",
      "公辦春考培訓學校 瀏覽:734",
      "九江船員培訓中心 瀏覽:5",
      "與催收培訓內容需求相關的資料",
      "0/150",
      TAIL,
    ].join("\n");
    const r = cleanText(text);
    expect(r.text).toBe(`${BODY}${TAIL}`.trim());
    expect(r.removed["related-list"]).toBe(6);
  });

  it("cuts everything after a footer block in the second half of the page", () => {
    const r = cleanText(
      `${BODY}溫馨提示\n  • 1. 本站所有資源如無特殊說明\n最新文檔\n評論\n0/150\n提交評論\n`,
    );
    expect(r.text).toBe(BODY.trim());
    expect(r.removed.footer).toBeGreaterThanOrEqual(6);
  });

  it("keeps a 温馨提示 that is part of the content, near the start", () => {
    const r = cleanText(`温馨提示：通话前先核对客户身份，不向第三方透露欠款信息。\n${BODY}`);
    expect(r.text).toContain("温馨提示：通话前先核对客户身份");
  });

  it("removes vendor phone numbers, e-mail addresses, street addresses and calls to action", () => {
    const text = [
      BODY,
      "获取更多培训信息,请致电13658861523浦老师",
      "地址:昆明市官渡区吴井街道民航路8号东来大厦18楼D座",
      "邮箱:2777398528@qq.com",
      "电话：021-6688 1234",
      "报名请加微信 collect_2024，或致电 400-820-1234、(021)66881234 或发邮件至 train@example.com 咨询。",
      "公司位于上海市浦东新区世纪大道100号环球金融中心20楼，欢迎参观。",
      TAIL,
    ].join("\n");
    const r = cleanText(text);
    expect(r.text).not.toMatch(/\d{5,}|@|地址|邮箱|致电|世纪大道|collect_2024/);
    expect(r.text).toContain("欢迎参观");
    expect(r.removed.contact).toBeGreaterThanOrEqual(6);
  });

  it("removes URLs", () => {
    const r = cleanText(
      `详细流程见 https://example.com/guide?id=3 和 www.example.cn/a 两个页面的说明。\n${BODY}`,
    );
    expect(r.text).not.toMatch(/https?:|www\.|example/);
    expect(r.text).toContain("详细流程见");
    expect(r.removed.url).toBe(2);
  });

  it("removes hashtag spam but keeps Markdown headings", () => {
    const text = `# 催收话术\n${BODY}#上海追债公司#上海合法讨债公司#上海讨债公司\n#上海专业讨债公司 #上海要账公司\n这是一段正文 #催收培训# 后面还有内容。\n${BODY}`;
    const r = cleanText(text);
    expect(r.text.startsWith("# 催收话术\n")).toBe(true);
    expect(r.text).not.toMatch(/讨债|要账|#催收培训/);
    expect(r.text).toContain("这是一段正文 后面还有内容。");
  });

  it("removes pinyin glued to characters, with or without tones", () => {
    const r = cleanText("電話催收新人培訓(xùn)，繼續(xù)學習；培训(xun)课程；培训（péi xùn）；法規(guī)。");
    expect(r.text).toBe("電話催收新人培訓，繼續學習；培训课程；培训；法規。");
    expect(r.removed.pinyin).toBe(5);
  });

  it("keeps parentheses that are not pinyin", () => {
    const text = "1、KYC贷户尽调(KYC)模型；赖账原因分类(6种基本型)；利用语音技术(AI)拨号；阶段(M3)客户。";
    expect(cleanText(text).text).toBe(text);
  });

  it("removes mis-decoded runs left by the scraper", () => {
    const r = cleanText(
      "嚴格遵守信息保密制度,確??蛻粜畔⒌陌踩碗[私。在催收過程中,詳細記錄。給予適當?shù)膶捪藓瓦€款計劃調整,同時保持力度。",
    );
    expect(r.text).not.toMatch(/\?|蛻|粜|畔|膶|€/);
    expect(r.text).toContain("在催收過程中,詳細記錄。");
    expect(r.removed.mojibake).toBe(2);
  });

  it("drops course-price headers", () => {
    const r = cleanText(
      `课程类别:大堂经理\n开课时间:2月\n课程价格: 29000.00元/人\n适合对象: 一线客户经理、贷后经理、催收人员\n${BODY}`,
    );
    expect(r.text).toBe(BODY.trim());
    expect(r.removed["course-header"]).toBe(4);
  });

  it("drops slide-template placeholders and the table of contents, and breaks run-together slides", () => {
    const r = cleanText(
      "電話催收新人培訓演講人:日期:未找到bdjson目錄CATALOGUE01基礎知識02溝通技巧03風險防範01基礎知識電話催收的定義電話催收是與債務人溝通的催收方式。有限公司匯報人:XX保持冷靜與禮貌01020304無論客戶態度如何都要保持禮貌。章節副標題02溝通技巧專注傾聽客戶。",
    );
    expect(r.text).not.toMatch(/演講人|匯報人|日期|bdjson|CATALOGUE|目錄|有限公司|章節副標題|01020304/);
    expect(r.text.split("\n")).toEqual([
      "電話催收新人培訓",
      "01基礎知識電話催收的定義電話催收是與債務人溝通的催收方式。保持冷靜與禮貌",
      "無論客戶態度如何都要保持禮貌。",
      "02溝通技巧專注傾聽客戶。",
    ]);
    expect(r.removed["table-of-contents"]).toBe(1);
  });

  it("drops schedule tables and keeps the cells of a table with content", () => {
    const text = `${BODY}| 城市 | 1月 | 2月 |\n|---|---|---|\n| 昆明 | | |\n| 逾期阶段 | 以提醒为主，确认还款日期 |\n${BODY}`;
    const r = cleanText(text);
    expect(r.text).not.toMatch(/城市|昆明|\|/);
    expect(r.text).toContain("逾期阶段；以提醒为主，确认还款日期");
  });

  it("leaves clean content as it is", () => {
    const text =
      "客户说没钱时，先了解收入变化，确认困难是否属实；再商量分期或部分还款。\n承诺跟进：约定日前一天礼貌提醒。";
    expect(cleanText(text).text).toBe(text);
  });

  it("reads Markdown front matter as the title and drops it", () => {
    const r = cleanText(`---\ntitle: 信用卡催收实战课程\n---\n${BODY}`);
    expect(r.title).toBe("信用卡催收实战课程");
    expect(r.text).toBe(BODY.trim());
  });
});

describe("cleanText on the fixture pages", () => {
  for (const name of ["scraped-slides.txt", "qa-page.txt", "course-outline.md"]) {
    it(`${name}: no boilerplate is left`, () => {
      const { text } = cleanText(readFileSync(fixture(name), "utf8"));
      for (const re of BOILERPLATE) expect(text, String(re)).not.toMatch(re);
    });
  }

  it("scraped-slides.txt: the teaching content is kept", () => {
    const { text, title } = cleanText(readFileSync(fixture("scraped-slides.txt"), "utf8"));
    expect(title).toBe("電話催收新人培訓");
    for (const phrase of [
      "電話催收是通過電話與債務人溝通,促使其履行還款義務的一種催收方式。",
      "不得採用恐嚇、騷擾等不正當手段。",
      "全神貫注地聽取客戶的話語",
      "無論客戶態度如何,都要保持冷靜和禮貌,避免衝突和爭吵。",
      "嚴格遵守信息保密制度",
      "幫助新人有效應對工作壓力,把負面情緒留在通話之外。",
    ]) {
      expect(text).toContain(phrase);
    }
  });

  it("qa-page.txt: the questions and answers are kept", () => {
    const { text } = cleanText(readFileSync(fixture("qa-page.txt"), "utf8"));
    expect(text.split("\n")).toContain("3. 催收主管的職責是什麼");
    expect(text).toContain("1.制定小組管理制度,獎懲辦法。");
    expect(text).toContain("每次溝通的結果都要如實記錄。");
  });
});
