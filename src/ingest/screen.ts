/**
 * Screening of ingested passages: every passage goes through the compliance engine; one that
 * breaks a rule is quarantined with the rule and the reason, and never served as advice.
 */

/** The part of the compliance engine screening needs (Coach#engine satisfies it). */
export interface ScreeningEngine {
  evaluate(text: string): {
    verdict: "pass" | "warn" | "block";
    violations: {
      rule: string;
      category: string;
      severity: "warn" | "block";
      evidence: string;
      explanation: string;
    }[];
  };
}

export interface ScreenReason {
  rule: string;
  category: string;
  severity: "warn" | "block";
  /** the words of the passage that broke the rule */
  evidence: string;
  explanation: string;
}

/** Why a text may not be served (empty when it may). Title and body are checked together. */
export function screenText(engine: ScreeningEngine, text: string): ScreenReason[] {
  const { violations } = engine.evaluate(text);
  return violations.map((v) => ({
    rule: v.rule,
    category: v.category,
    severity: v.severity,
    evidence: v.evidence,
    explanation: v.explanation,
  }));
}

export interface ScreenResult<T> {
  clean: T[];
  quarantined: { item: T; reasons: ScreenReason[] }[];
}

/** Split items into the ones that pass every rule and the ones to quarantine (warn or block). */
export function screen<T>(items: T[], textOf: (item: T) => string, engine: ScreeningEngine): ScreenResult<T> {
  const clean: T[] = [];
  const quarantined: ScreenResult<T>["quarantined"] = [];
  for (const item of items) {
    const reasons = screenText(engine, textOf(item));
    if (reasons.length) quarantined.push({ item, reasons });
    else clean.push(item);
  }
  return { clean, quarantined };
}
