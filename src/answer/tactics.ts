import type { ComplianceCategory } from "../knowledge/codes.ts";

/**
 * What the "can I …?" verdict knows besides the compliance engine: the lawful acts that come with
 * conditions (and the curated entry that lists them), the curated entry that shows the lawful way
 * for each kind of violation, and the few tactics phrased as plans that the engine (which reads what
 * a collector says to a debtor) does not catch on its own. Text is matched in Simplified.
 */

export interface LawfulAct {
  /** what the act is about, for tests and logs */
  name: string;
  pattern: RegExp;
  /** the curated entry whose steps are the conditions */
  entry: string;
  /** the one-line "but": what makes the act lawful */
  but: string;
}

/** Words that turn a lawful act into pressure: field visits and contacts are lawful only without them. */
export const PRESSURE =
  /施压|压力|逼|闹|堵|蹲|守着|围|吓|威胁|恐吓|曝光|羞辱|骂|要钱|代还|替他还|帮他还|劝他还|讨债|逼债|不走|跟踪|强行/;

export const LAWFUL_ACTS: LawfulAct[] = [
  {
    name: "field visit",
    pattern:
      /外访|上门(?:拜访|走访|催收|核实|面谈)?|家访|实地(?:走访|拜访|核实)?|去(?:他|她|客户|欠款人)?家(?:里)?(?:拜访|走访|看看|找他本人)|当面(?:谈|沟通)/,
    entry: "field-visit-lawful",
    but: "只能按机构的外访流程、以合法方式见本人，不能堵门、滞留或惊动旁人",
  },
  {
    name: "listed contact",
    pattern:
      /(?:紧急)?联(?:系|络)人|(?:他|她)的?(?:家人|家里人|老婆|老公|妻子|丈夫|配偶|父母|爸妈|爸爸|妈妈|亲戚|朋友|同事)/,
    entry: "contact-rules-who-may-be-contacted",
    but: "只能在联系不上本人时请对方转告回电，不能透露欠款，更不能让对方代还或施压",
  },
  {
    name: "litigation",
    pattern:
      /起诉|诉讼|打官司|走法律程序|法律途径|申请支付令|支付令|律师函|催款函|申请(?:财产)?保全|强制执行/,
    entry: "legal-litigation-basics",
    but: "要由机构按真实的法律程序办理，如实告知，不能拿没有发生的诉讼吓唬客户",
  },
  {
    name: "calls and messages",
    pattern:
      /打(?:他|她)?(?:的)?电话|给(?:他|她)打电话|打过去|发短信|发信息|发微信|周末(?:打|联系|催)|节假日(?:打|联系|催)|晚上(?:打|联系)|多打几(?:次|个|遍)|每天(?:打|联系)/,
    entry: "contact-rules-hours-frequency",
    but: "只能在允许的时段（8:00–22:00）、按频次上限联系本人，报明身份、使用录音线路",
  },
  {
    name: "instalments and waivers",
    pattern: /分期|减免|停息|挂账|少还|只还本金|打折|延期还款|个性化分期|还款方案/,
    entry: "repayment-plan-instalments",
    but: "必须按机构政策走正式审批，书面确认，不能私自承诺",
  },
  {
    name: "credit reporting",
    pattern: /(?:上报|报送|报)征信|上征信|征信(?:上报|报送)/,
    entry: "compliance-red-lines",
    but: "只能如实说明逾期按合同报送征信，不能夸大成影响家人、子女的后果",
  },
  {
    name: "checking assets",
    pattern:
      /查(?:他|她)?的?(?:资产|财产|房产|车)|核实(?:他|她)?的?(?:收入|资产|还款能力)|了解(?:他|她)?的?(?:收入|资产)/,
    entry: "verify-ability-assess-income",
    but: "只能通过本人沟通、授权资料和法院等合法渠道了解，不能非法查询他人信息",
  },
];

/** For each kind of violation, the curated entry that shows the lawful way instead. */
export const INSTEAD: Record<ComplianceCategory, string> = {
  "violence-threat": "compliance-red-lines",
  "soft-violence": "field-visit-lawful",
  "false-criminal-threat": "legal-litigation-basics",
  insult: "abusive-debtor-cursing",
  "third-party-disclosure": "contact-rules-who-may-be-contacted",
  "third-party-demand": "bad-practice-pressing-relatives",
  impersonation: "opening-call-script",
  "fake-legal-document": "legal-litigation-basics",
  harassment: "contact-rules-hours-frequency",
  "contact-hours": "contact-rules-hours-frequency",
  "public-shaming": "compliance-red-lines",
  "borrow-to-repay": "repayment-plan-instalments",
  misleading: "compliance-red-lines",
  "privacy-misuse": "contact-rules-who-may-be-contacted",
  "unofficial-payment": "already-paid-to-individual",
  "inflated-debt": "interest-too-high-not-told",
  "identity-concealment": "opening-call-script",
};

/**
 * Tactics written as a plan ("给他家人施压", "爆通讯录") that a compliance rule covers but whose
 * wording the engine does not read as a statement to the debtor; each names the rule it breaks.
 */
export const PLANNED_TACTICS: Array<{ pattern: RegExp; rule: string }> = [
  {
    pattern:
      /(?:家人|家里人|家属|亲属|亲戚|父母|爸妈|老婆|老公|配偶|子女|孩子|朋友|同事|领导|老板).{0,6}(?:施压|压力|逼|闹|催他还|要钱|代还|替他还)|(?:施压|逼).{0,4}(?:家人|家属|亲属|亲戚|父母|朋友|同事)/,
    rule: "demand-third-party-pay",
  },
  {
    pattern: /爆.{0,3}通讯录|通讯录.{0,3}爆|打(?:遍|爆)(?:他的?)?通讯录|通讯录(?:挨个|全部|一个个)打/,
    rule: "privacy-illegal-lookup",
  },
  {
    pattern: /曝光|挂到?网上|发(?:到)?朋友圈|贴.{0,6}(?:通知|大字报|告示|照片)|拉.{0,4}群/,
    rule: "shaming-post-publicly",
  },
  { pattern: /(?:蹲|守|堵).{0,4}(?:他|她)|门口(?:等|守|蹲)/, rule: "soft-violence-camp-outside" },
  {
    pattern: /(?:找|告诉|通知|打给|打电话给).{0,4}(?:他|她)?的?(?:领导|老板|单位|公司|同事|邻居|学校|老师)/,
    rule: "disclosure-tell-others",
  },
];
