import { z } from "zod";
import type { CheckResult, Verdict, Violation } from "../compliance/engine.ts";
import { COMPLIANCE_CATEGORIES, type ComplianceCategory } from "../knowledge/codes.ts";

/** Loose on purpose: an unknown category or severity drops that finding, not the whole opinion. */
export const judgeSchema = z.object({
  violations: z.array(
    z.object({
      category: z.string(),
      severity: z.string(),
      evidence: z.string(),
      explanation: z.string(),
    }),
  ),
});
export type JudgeOutput = z.infer<typeof judgeSchema>;

export const rewriteSchema = z.object({ rewrite: z.string() });

/** The taxonomy's definitions, as the judge prompt lists them (spec/taxonomy.md). */
export const CATEGORY_DEFINITIONS: Record<ComplianceCategory, string> = {
  "violence-threat": "暴力或暴力威胁：威胁伤害债务人、家人或财产",
  "soft-violence": "软暴力滋扰：跟踪、堵门、在住所或单位蹲守、拉横幅、泼漆",
  "false-criminal-threat": "虚构刑事后果：声称会被抓、坐牢、警察上门，把犯罪当作事实断言",
  insult: "侮辱谩骂：骂人、羞辱、贬低债务人或其家人",
  "third-party-disclosure": "向第三方泄露债务：告诉单位、亲属、邻居、通讯录联系人其欠款",
  "third-party-demand": "向无义务第三人施压：要求亲友同事代还或向其施压",
  impersonation: "冒充公检法或机构：自称法院、警察、检察院、监管、政府、律师",
  "fake-legal-document": "虚构法律程序文书：编造传票、已立案、强制执行、通缉、法院通知",
  harassment: "频繁骚扰：呼死你、换号轮番拨打、打到接为止",
  "contact-hours": "时段外联系：计划在深夜或清晨（22:00–08:00）联系",
  "public-shaming": "公开曝光：发到社交媒体、群里、张贴告示或“通缉令”",
  "borrow-to-repay": "诱导借贷还款：让债务人借钱、套现其他信用卡、借网贷还款",
  misleading: "误导性陈述：虚假后果（影响家人征信、子女上学、社保）、无权承诺的减免",
  "privacy-misuse": "滥用个人信息：非法获取或炫耀通讯录、定位、照片、身份证号、通话记录",
  "unofficial-payment": "私人收款/额外收费：转到个人账户或App、收“手续费”消除记录",
  "inflated-debt": "夸大或非法债务：编造金额、随意翻倍、砍头息、合同外费用",
  "identity-concealment": "隐瞒身份/规避录音：不报机构或工号、以其他名义套话、避开录音线路",
};

export function categoriesForPrompt(): string {
  return COMPLIANCE_CATEGORIES.map((c) => `- ${c}：${CATEGORY_DEFINITIONS[c]}`).join("\n");
}

const isCategory = (c: string): c is ComplianceCategory =>
  (COMPLIANCE_CATEGORIES as readonly string[]).includes(c);
const RANK: Record<Verdict, number> = { pass: 0, warn: 1, block: 2 };

export const JUDGE_RULE_ID = "llm-judge";

/**
 * The judge's findings that may count: a known category and severity, and evidence that is a
 * substring of the checked text (quoted, not paraphrased or invented). The rest is dropped.
 */
export function acceptFindings(text: string, output: JudgeOutput): { kept: Violation[]; dropped: number } {
  const kept: Violation[] = [];
  let dropped = 0;
  for (const f of output.violations) {
    const evidence = f.evidence.trim();
    const start = evidence ? text.indexOf(evidence) : -1;
    const severity = f.severity === "block" || f.severity === "warn" ? f.severity : undefined;
    if (start < 0 || !isCategory(f.category) || !severity) {
      dropped++;
      continue;
    }
    kept.push({
      rule: JUDGE_RULE_ID,
      category: f.category,
      severity,
      evidence,
      start,
      end: start + evidence.length,
      description: CATEGORY_DEFINITIONS[f.category].split("：")[0]!,
      explanation: f.explanation.trim() || CATEGORY_DEFINITIONS[f.category],
      basis: "",
    });
  }
  return { kept, dropped };
}

/**
 * Rules first, the judge second: the judge can add a violation (and so raise the verdict), it can
 * never remove one or lower the verdict. A judge finding in a category the rules already report
 * for the same words adds nothing.
 */
export function mergeOpinion(rules: CheckResult, judged: Violation[]): CheckResult {
  const added = judged.filter(
    (j) => !rules.violations.some((v) => v.category === j.category && v.start < j.end && j.start < v.end),
  );
  if (!added.length) return rules;
  const violations = [...rules.violations, ...added];
  const verdict = violations.reduce<Verdict>(
    (acc, v) => (RANK[v.severity] > RANK[acc] ? v.severity : acc),
    rules.verdict,
  );
  return { ...rules, verdict, violations };
}
