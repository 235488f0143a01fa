/** Scenario codes and compliance categories: the contract with ../shared/spec/taxonomy.md. */

export const EXCUSE_CODES = [
  "no-income",
  "illness",
  "delay-promise",
  "busy-later",
  "waiver-demand",
  "interest-too-high",
  "penalty-too-high",
  "used-by-other",
  "card-by-other",
  "defiant",
  "complaint-threat",
  "already-paid",
  "other-debts-first",
  "anti-collection",
  "third-party",
  "abusive-debtor",
  "unreachable",
] as const;

export const TOPIC_CODES = [
  "contact-rules",
  "opening",
  "stage-early",
  "stage-late",
  "debtor-psychology",
  "emotion-management",
  "complaint-handling",
  "legal-process",
  "repayment-plan",
  "follow-up",
  "verify-ability",
  "persuasion-strategies",
] as const;

export const SCENARIO_CODES = [...EXCUSE_CODES, ...TOPIC_CODES] as const;
export type ScenarioCode = (typeof SCENARIO_CODES)[number];

export const COMPLIANCE_CATEGORIES = [
  "violence-threat",
  "soft-violence",
  "false-criminal-threat",
  "insult",
  "third-party-disclosure",
  "third-party-demand",
  "impersonation",
  "fake-legal-document",
  "harassment",
  "contact-hours",
  "public-shaming",
  "borrow-to-repay",
  "misleading",
  "privacy-misuse",
  "unofficial-payment",
  "inflated-debt",
  "identity-concealment",
] as const;
export type ComplianceCategory = (typeof COMPLIANCE_CATEGORIES)[number];
