import { detectScript, inScript } from "../text/script.ts";
import type { Verdict, Violation } from "./engine.ts";
import type { Rule } from "./rule-schema.ts";

/** Longer texts get the rules' wording only, not a clause-by-clause rewrite. */
const REWRITE_LIMIT = 2000;
const CONDITION = /再不|不还|要是|如果|否则|不然|敢/;
const PIECE_RE = /[^,，。！？!?；;\n]+[,，。！？!?；;\n]*/g;

/**
 * A compliant rewrite built from the violated rules' guidance: clauses that carry a violation are
 * replaced by the rules' suggested wording, the rest of the text is kept. If the result still does
 * not pass, only the suggested wording is returned. Output is in the input's script.
 */
export function suggestRewrite(
  text: string,
  violations: Violation[],
  rules: readonly Rule[],
  verdictOf: (t: string) => Verdict,
): string {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const suggestions = [
    ...new Set(
      violations
        // a learned-layer finding has no rule of its own: the category's first rule gives the wording
        .map((v) => (byId.get(v.rule) ?? rules.find((r) => r.category === v.category))?.suggest)
        .filter((s): s is string => !!s),
    ),
  ];
  const script = detectScript(text);
  if (text.length > REWRITE_LIMIT) return inScript(tidy(suggestions.join("")), script);
  const pieces: string[] = [];
  let replaced = false;
  for (const m of text.matchAll(PIECE_RE)) {
    const [from, to] = [m.index, m.index + m[0].length];
    const hit = violations.some((v) => v.start < to && v.end > from);
    // the collector's own clauses stay as written: a round trip through Simplified would turn 週 into 周
    // and 麵 into 面 in a Traditional text
    if (!hit) pieces.push(m[0]);
    else if (!replaced) {
      // the condition of a threat ("再不还钱,") goes with it
      if (pieces.length && CONDITION.test(pieces[pieces.length - 1]!)) pieces.pop();
      pieces.push(...suggestions);
      replaced = true;
    }
  }
  const candidate = tidy(pieces.join(""));
  const result = verdictOf(candidate) === "pass" ? candidate : tidy(suggestions.join(""));
  return inScript(result, script);
}

function tidy(s: string): string {
  return s
    .replace(/[,，;；]+$/u, "。")
    .replace(/([。！？!?])[,，]/gu, "$1")
    .trim();
}
