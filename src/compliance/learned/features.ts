import { CLAUSE_MARK, normalize, SENTENCE_MARK } from "../../text/normalize.ts";

/**
 * The model's view of a text: normalised like the rules see it (NFKC, case, Traditional → Simplified,
 * symbols inside words dropped), digits folded to 0 (amounts, times and case numbers are patterns, not
 * values), one token per character; the model's word n-grams are then character n-grams.
 */
export function modelTokens(text: string): string {
  const compact = normalize(text, { compact: true }).text;
  let out = "";
  for (const ch of compact) {
    if (ch === CLAUSE_MARK || ch === SENTENCE_MARK) out += " ，";
    else if (ch >= "0" && ch <= "9") {
      if (!out.endsWith(" 0")) out += " 0";
    } else out += ` ${ch}`;
  }
  return out.trimStart();
}
