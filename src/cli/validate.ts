import { join } from "node:path";
import { ComplianceEngine, DEFAULT_SETTINGS } from "../compliance/engine.ts";
import { guardText } from "../compliance/guard.ts";
import { loadRules } from "../compliance/load-rules.ts";
import type { Config } from "../config.ts";
import { COMPLIANCE_CATEGORIES, SCENARIO_CODES } from "../knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadEntries } from "../knowledge/load.ts";
import { loadPrompts } from "../llm/prompts.ts";
import { loadScenarios } from "../practice/load.ts";
import { auditBank } from "../practice/validate.ts";
import { loadQuiz } from "../quiz/load.ts";

/** Validate everything a training manager or compliance officer edits, and report coverage. */
export function runValidate(config: Config): number {
  const dir = config.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
  const problems: string[] = [];
  const attempt = <T>(what: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      problems.push(`${what}:\n${(e as Error).message}`);
      return undefined;
    }
  };
  const entries = attempt("entries", () => loadEntries(dir)) ?? [];
  const rules =
    attempt("rules", () => loadRules(dir, config.EXTRA_RULES_DIR ? [config.EXTRA_RULES_DIR] : [])) ?? [];
  const quiz = attempt("quiz", () => loadQuiz(join(dir, "quiz"), new Set(entries.map((e) => e.id)))) ?? [];
  const bank = attempt("practice scenarios", () => loadScenarios(entries, dir));
  if (bank && rules.length) {
    const engine = new ComplianceEngine(rules, DEFAULT_SETTINGS);
    problems.push(...auditBank(bank, (t) => guardText(engine, t).allowed));
  }
  const prompts = attempt("prompts", () => loadPrompts()) ?? {};
  const codes = new Set(entries.flatMap((e) => e.codes));
  const cats = new Set(rules.map((r) => r.category));
  const missingCodes = SCENARIO_CODES.filter((c) => !codes.has(c));
  const missingCats = COMPLIANCE_CATEGORIES.filter((c) => !cats.has(c));
  console.log(
    `entries: ${entries.length}, rules: ${rules.length}, quiz questions: ${quiz.length}, practice scenarios: ${bank?.scenarios.length ?? 0}, prompts: ${Object.keys(prompts).length}`,
  );
  if (missingCodes.length) problems.push(`scenario codes without an entry: ${missingCodes.join(", ")}`);
  if (missingCats.length) problems.push(`compliance categories without a rule: ${missingCats.join(", ")}`);
  for (const p of problems) console.error(p);
  if (!problems.length) console.log("all valid ✓");
  return problems.length ? 1 : 0;
}
