import { stripHtml } from "../text/html.ts";
import type { ComplianceEngine, Verdict, Violation } from "./engine.ts";

export interface GuardResult {
  /** true when the text may be sent */
  allowed: boolean;
  verdict: Verdict;
  violations: Violation[];
}

/**
 * The one gate every outgoing text passes: answers, quiz explanations, tips, LLM output.
 * Blocked text is never sent; the caller gets the reasons. Warned text is allowed only when
 * `allowWarn` is set (a supervisor who confirmed a tip).
 */
export function guardText(
  engine: ComplianceEngine,
  text: string,
  options: { allowWarn?: boolean } = {},
): GuardResult {
  const { verdict, violations } = engine.evaluate(stripHtml(text));
  const allowed = verdict === "pass" || (verdict === "warn" && options.allowWarn === true);
  return { allowed, verdict, violations };
}
