import type { ComplianceCategory } from "../../knowledge/codes.ts";
import { normalize } from "../../text/normalize.ts";

interface Example {
  text: string;
  categories: ComplianceCategory[];
}

function bigrams(text: string): Set<string> {
  const t = normalize(text, { compact: true }).text.replace(/[|#]/g, "");
  const out = new Set<string>();
  for (let i = 0; i + 1 < t.length; i++) out.add(t.slice(i, i + 2));
  if (t.length === 1) out.add(t);
  return out;
}

/** The corpus example of a category most like a text (Dice overlap of character bigrams). */
export class NearestExamples {
  private grams: Array<Set<string>> | null = null;
  constructor(private readonly examples: readonly Example[]) {}

  find(text: string, category: ComplianceCategory): string | null {
    this.grams ??= this.examples.map((e) => bigrams(e.text)); // built on first use only
    const mine = bigrams(text);
    let best: string | null = null;
    let bestScore = 0;
    this.examples.forEach((e, i) => {
      if (!e.categories.includes(category)) return;
      const theirs = this.grams![i]!;
      let common = 0;
      for (const g of mine) if (theirs.has(g)) common++;
      const score = (2 * common) / (mine.size + theirs.size || 1);
      if (score > bestScore) {
        bestScore = score;
        best = e.text;
      }
    });
    return best;
  }
}
