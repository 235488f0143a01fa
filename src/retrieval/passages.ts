import { contentBigrams, headingMatch } from "./headings.ts";
import type { Hit, SearchDoc } from "./retriever.ts";

/** A served passage and what its headings say, precomputed. */
interface Indexed {
  doc: SearchDoc;
  order: number;
  /** each segment of the heading path (the document title left out) as bigrams */
  headings: Set<string>[];
  /** an outline (a list of short headings) says little on its own */
  outline: boolean;
}

export interface PassageMatch {
  doc: SearchDoc;
  /** heading match, 0–1 */
  match: number;
  outline: boolean;
  /** the following passages of the same section, in document order */
  continuation: SearchDoc[];
}

/** An outline: mostly short lines that are headings, not sentences (no full stop at the end). */
const isOutline = (text: string) => {
  const lines = text.split("\n").filter((l) => l.trim());
  const headingLike = lines.filter((l) => l.trim().length < 24 && !/[。；;！!？?]$/u.test(l.trim()));
  return lines.length >= 2 && headingLike.length >= lines.length * 0.7;
};

/**
 * Ingested passages, kept apart from the curated entries so that ingesting a folder never changes
 * how entries rank. A passage is found through its own heading path; an inverted index of heading
 * bigrams keeps a look-up to the passages that share a word with the question.
 */
export class PassageIndex {
  private readonly items: Indexed[];
  private readonly byBigram = new Map<string, number[]>();
  /** the passages of each section (file and heading path), in document order */
  private readonly sections = new Map<string, number[]>();
  readonly size: number;

  constructor(docs: SearchDoc[]) {
    this.items = docs.map((doc, order) => {
      const segments = doc.title.split(" › ").filter((s) => s !== doc.docTitle);
      // each segment alone, and a section with its parent (「催收主管的职责 › 考核项目」)
      const headings = segments.map(contentBigrams);
      if (segments.length > 1) headings.push(contentBigrams(segments.slice(-2).join(" ")));
      return { doc, order, headings, outline: isOutline(doc.body) };
    });
    this.items.forEach((it, i) => {
      const key = `${it.doc.file}\u0000${it.doc.title}`;
      const section = this.sections.get(key);
      if (section) section.push(i);
      else this.sections.set(key, [i]);
      for (const h of it.headings)
        for (const b of h) {
          const list = this.byBigram.get(b);
          if (!list) this.byBigram.set(b, [i]);
          else if (list[list.length - 1] !== i) list.push(i);
        }
    });
    this.size = docs.length;
  }

  /**
   * The passage whose heading best says the question (earliest on ties), or null when none reaches
   * `minMatch`. Passages sharing too few of the question's bigrams to reach it are never scored.
   */
  best(question: string, minMatch = 0): PassageMatch | null {
    if (!this.items.length) return null;
    const q = contentBigrams(question);
    const shared = new Map<number, number>();
    for (const b of q) for (const i of this.byBigram.get(b) ?? []) shared.set(i, (shared.get(i) ?? 0) + 1);
    // F1 ≤ 2r / (1 + r) with recall r = shared / |q|: below that bound a passage cannot reach minMatch
    const minShared = q.size * (minMatch / (2 - minMatch));
    let best: { it: Indexed; match: number } | null = null;
    for (const [i, n] of shared) {
      if (n < minShared) continue;
      const it = this.items[i]!;
      const match = Math.max(...it.headings.map((h) => headingMatch(q, h)));
      if (!best || match > best.match || (match === best.match && it.order < best.it.order))
        best = { it, match };
    }
    if (!best || best.match < minMatch) return null;
    const { doc } = best.it;
    const continuation = (this.sections.get(`${doc.file}\u0000${doc.title}`) ?? [])
      .filter((i) => i > best.it.order)
      .map((i) => this.items[i]!.doc);
    return { doc, match: best.match, outline: best.it.outline, continuation };
  }
}

export function passageHit(doc: SearchDoc, score: number): Hit {
  return {
    id: doc.id,
    kind: "passage",
    title: doc.title,
    codes: doc.codes,
    score,
    ...(doc.source ? { source: doc.source } : {}),
  };
}
