import type { ComplianceEngine, Violation } from "../compliance/engine.ts";
import type { Rule } from "../compliance/rule-schema.ts";
import { toSimplified } from "../text/script.ts";
import { INSTEAD, LAWFUL_ACTS, type LawfulAct, PLANNED_TACTICS, PRESSURE } from "./tactics.ts";

/**
 * "Can I …?" questions: a collector proposes an act (能不能去他单位闹 / 可以爆他通讯录吗 /
 * 通讯录要不要爆 / 上门拜访行不行) and wants a verdict, not a topic.
 */

const TAIL = /[\s？?。！!，,~～…]+$|(?<=[^呢])(?:呢|啊|呀|哈)$/u;
/** a question about what the debtor says or asks is not the collector's own plan */
const REPORTED =
  /(?:客户|客人|欠款人|债务人|借款人|持卡人|卡人|对方|家属|联系人|(?<![跟对和给向同与诉])(?:他|她))(?:说|问|讲|提出|要求|想|希望|表示|能不能|可不可以|可以|要不要)/;
const SUBJECT =
  /^(?:那|那么|请问|问下|问一下)?(?:我|我们|咱|咱们|催收员|催收|外访员|公司)?(?:现在|这时候|这种情况)?/;
const FRAME_BEFORE =
  /^(?:能不能|可不可以|能否|可否|可以不可以|要不要|该不该|应不应该|应该不应该|准不准|允不允许|是否可以|是否能|可以|能)(.+?)(?:吗|么|嘛|吧)?$/;
const FRAME_AFTER =
  /^(.+?)(?:行不行|可不可以|能不能|行吗|行么|可以吗|可以么|可以不|能行吗|好不好|好吗|合法吗|合规吗|违法吗|违规吗|算违规吗|犯法吗|有问题吗|没问题吧|算不算违规|算违法吗)$/;
const FRAME_MIDDLE = /^(.+?)(?:要不要|能不能|可不可以|该不该)(.{1,4})$/;

export interface CanIQuestion {
  /** the proposed act, in Simplified, with the question frame removed */
  act: string;
}

/**
 * The act a "can I …?" question proposes, or null when the question is something else. A question
 * whose frame sits in its last clause (「联系不上本人，可以联系他的紧急联系人吗」) is read from there.
 */
export function parseCanI(question: string): CanIQuestion | null {
  const q = toSimplified(question.normalize("NFKC")).trim();
  if (REPORTED.test(q)) return null;
  const whole = parseClause(q);
  if (whole) return whole;
  const clauses = q.split(/[，,；;]/u).filter((c) => c.trim());
  return clauses.length > 1 ? parseClause(clauses[clauses.length - 1]!.trim()) : null;
}

function parseClause(clause: string): CanIQuestion | null {
  let q = clause;
  for (let i = 0; i < 3 && TAIL.test(q); i++) q = q.replace(TAIL, "");
  if (REPORTED.test(q)) return null;
  q = q.replace(SUBJECT, "");
  let act: string | undefined;
  const before = FRAME_BEFORE.exec(q);
  const after = FRAME_AFTER.exec(q);
  const middle = FRAME_MIDDLE.exec(q);
  if (
    before &&
    /^(?:能不能|可不可以|能否|可否|可以不可以|要不要|该不该|应不应该|应该不应该|准不准|允不允许|是否)/.test(q)
  )
    act = before[1];
  else if (after) act = after[1];
  else if (middle)
    act = `${middle[2]}${middle[1]}`; // 通讯录要不要爆 → 爆通讯录
  else if (before && /(?:吗|么|嘛)$/.test(q)) act = before[1]; // 可以爆他通讯录吗
  act = act?.replace(/^(?:我们|我|就)/, "");
  if (!act || act.length < 2 || act.length > 40) return null;
  return { act };
}

export type ActViolation = Pick<Violation, "rule" | "category" | "explanation" | "basis">;

export type ActVerdict =
  | {
      kind: "unlawful";
      act: string;
      /** the rules the act breaks (from the compliance engine or the rule it names) */
      violations: ActViolation[];
      /** the curated entry that shows the lawful way */
      instead: string;
    }
  | { kind: "conditional"; act: string; lawful: LawfulAct };

/** Present-tense plan → the same words said to the debtor (他 → 你), as a threat if unpaid. */
const asThreat = (act: string) => `再不还钱，我们就${act.replaceAll("他", "你").replaceAll("她", "你")}`;

/**
 * Judge a proposed act: the compliance engine reads it as said and as announced to the debtor; a
 * plan the engine does not read (「给他家人施压」) is matched to the rule it breaks; a lawful act
 * that needs conditions gets them. Null when the act is neither (answer the question normally).
 */
export function judgeAct(act: string, engine: ComplianceEngine): ActVerdict | null {
  const byRule = new Map(engine.rules.map((r) => [r.id, r] as [string, Rule]));
  const fromViolations = (vs: ActViolation[]): ActVerdict => ({
    kind: "unlawful",
    act,
    violations: vs,
    instead: INSTEAD[vs[0]!.category],
  });
  // every rule the act breaks: the engine's findings, then planned tactics it does not read
  const plain = engine.evaluate(act);
  // (a warning, such as a call between 21:00 and 22:00, is a condition rather than a no)
  const found: ActViolation[] = plain.violations.filter((v) => v.severity === "block");
  for (const t of PLANNED_TACTICS) {
    const r = t.pattern.test(act) ? byRule.get(t.rule) : undefined;
    if (r && !found.some((v) => v.rule === r.id))
      found.push({ rule: r.id, category: r.category, explanation: r.explanation, basis: r.basis });
  }
  if (found.length) return { kind: "unlawful", act, violations: found, instead: INSTEAD[found[0]!.category] };
  const lawful = PRESSURE.test(act) ? undefined : LAWFUL_ACTS.find((l) => l.pattern.test(act));
  if (lawful) return { kind: "conditional", act, lawful };
  const threat = engine.evaluate(asThreat(act));
  if (threat.verdict === "block") return fromViolations(threat.violations);
  return null;
}
