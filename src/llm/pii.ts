import { redact } from "../text/redact.ts";

/** Common surnames, Simplified and Traditional (a name is a surname and one or two more characters). */
const SURNAMES =
  "王李张張刘劉陈陳杨楊赵趙黄黃周吴吳徐孙孫胡朱高林何郭马馬罗羅梁宋郑鄭谢謝韩韓唐冯馮于董萧蕭程曹袁邓鄧许許傅沈曾彭吕呂苏蘇卢盧蒋蔣蔡贾賈丁魏薛叶葉阎閻余潘杜戴夏钟鐘汪田任姜范方石姚谭譚廖邹鄒熊金陆陸郝孔白崔康毛邱秦江史顾顧侯邵孟龙龍万萬段雷钱錢汤湯尹黎易常武乔喬贺賀赖賴龚龔文欧歐阳陽";
/** Characters that end a name: verbs, particles and pronouns that follow 「客户张三」 in a sentence. */
const STOP =
  "说說讲講称稱表示不没沒就要一在的他她它们們已还還又也和跟与與却卻都总總很最才把被对對让讓告问問欠借了是吗嗎呢啊吧，,。.！!？?：:；; \\n";
const ROLE = "(?:客户|客戶|债务人|債務人|欠款人|借款人)";
const NAME_AFTER_ROLE = new RegExp(
  `(${ROLE}(?:是|叫|名叫|姓名|名字)?[:：]?\\s*)[${SURNAMES}](?:先生|女士|小姐|[^${STOP}]{1,2})`,
  "gu",
);
/** Words that start with a surname character but are not names (「客户马上就还」「客户周末不接」). */
const NOT_NAMES =
  /^(马上|馬上|周末|周一|周二|周三|周四|周五|周六|周日|高兴|高興|常常|方面|任何|万一|萬一|金额|金額|白天|钱款|錢款|江湖|文化|石头|石頭|田地|夏天|丁点|于是|於是|易怒|段时|段時|龙头|龍頭|林林|毛病|康复|康復|贾的|何时|何時|何况|何況|陆续|陸續|曾经|曾經|沈默|杜绝|杜絕|孔子|史上|黎明|武力|汤圆|湯圓|雷打|程序|郑重|鄭重|许多|許多|许久|許久|宋朝|邵阳|孟子|秦朝|乔装|喬裝|崔收|傅里|罗列|羅列|黄金|黃金|黄牛|黃牛|张口|張口|王八|蒋介|潘多|邹巴|熊孩|熊样|熊樣|金钱|金錢|叶子|葉子|余额|餘額|余下|尹某|汪汪|于此|欧洲|歐洲|范围|範圍|胡说|胡說|胡乱|胡亂|朱门)/u;
const TITLED = new RegExp(`[${SURNAMES}](?:先生|女士|小姐)`, "gu");

/**
 * Everything that leaves the machine for an LLM goes through here first: ID-card, bank-card and
 * phone numbers (as in logs), and the names that follow 客户 / 债务人 (and 张先生-style names).
 */
export function redactPii(text: string): string {
  return redact(text)
    .replace(NAME_AFTER_ROLE, (all, role: string) =>
      NOT_NAMES.test(all.slice(role.length)) ? all : `${role}[NAME]`,
    )
    .replace(TITLED, "[NAME]");
}
