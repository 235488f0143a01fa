import { stripHtml } from "../text/html.ts";
import type { ComplianceEngine, Verdict, Violation } from "./engine.ts";

export interface GuardResult {
  /** true when the text may be sent */
  allowed: boolean;
  verdict: Verdict;
  violations: Violation[];
}

export interface GuardOptions {
  /** send a warned text (a supervisor confirmed it) */
  allowWarn?: boolean;
  /**
   * also ask the learned layer: for text that comes from people or a model (tips, LLM output). The
   * bot's own reviewed texts (knowledge entries, quiz, rule texts, UI) are read by the rules alone: the
   * model, trained on what collectors say, reads teaching text and menus as out of its world.
   */
  learned?: boolean;
}

/**
 * The one gate every outgoing text passes: answers, quiz explanations, tips, LLM output.
 * Blocked text is never sent; the caller gets the reasons. Warned text is allowed only when
 * `allowWarn` is set (a supervisor who confirmed a tip).
 */
export function guardText(engine: ComplianceEngine, text: string, options: GuardOptions = {}): GuardResult {
  const { verdict, violations } = engine.evaluate(stripHtml(text), { second: options.learned === true });
  const allowed = verdict === "pass" || (verdict === "warn" && options.allowWarn === true);
  return { allowed, verdict, violations };
}
