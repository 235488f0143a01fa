import { EXCUSE_CODES } from "../knowledge/codes.ts";
import { toTraditional } from "../text/script.ts";
import { debtorLines, type ScenarioBank } from "./load.ts";

export const MIN_SCENARIOS_PER_CODE = 3;

/** Every text of the bank the bot may send: debtor lines and the rubric's model phrasings. */
export function botTexts(bank: ScenarioBank): Array<{ where: string; text: string }> {
  const out = bank.scenarios.flatMap((s) =>
    debtorLines(s, bank.templates).map((text) => ({ where: `scenario ${s.id}`, text })),
  );
  for (const [id, item] of Object.entries(bank.templates.rubric))
    if (item.example) out.push({ where: `rubric ${id}`, text: item.example });
  return out;
}

/**
 * Problems a training manager must fix beyond the schema: texts the compliance guard blocks (in
 * either script) and excuse codes with fewer than three scenarios.
 */
export function auditBank(bank: ScenarioBank, allowed: (text: string) => boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { where, text } of botTexts(bank)) {
    for (const t of [text, toTraditional(text)]) {
      if (seen.has(t)) continue;
      seen.add(t);
      if (!allowed(t)) problems.push(`${where}: the compliance guard blocks 「${t}」 — rewrite it`);
    }
  }
  for (const code of EXCUSE_CODES) {
    const n = bank.scenarios.filter((s) => s.code === code).length;
    if (n < MIN_SCENARIOS_PER_CODE)
      problems.push(
        `excuse code ${code}: ${n} practice scenario(s), at least ${MIN_SCENARIOS_PER_CODE} needed`,
      );
  }
  return problems;
}
