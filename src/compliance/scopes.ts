import { CLAUSE_MARK, SENTENCE_MARK } from "../text/normalize.ts";

/** Scope boundaries of compact text: for each index, the clause and the sentence it sits in. */
export class Scopes {
  /** positions of every clause or sentence mark, and of sentence marks only, ascending */
  private readonly clauseMarks: number[] = [];
  private readonly sentenceMarks: number[] = [];
  private readonly length: number;
  constructor(text: string) {
    this.length = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === CLAUSE_MARK || c === SENTENCE_MARK) this.clauseMarks.push(i);
      if (c === SENTENCE_MARK) this.sentenceMarks.push(i);
    }
  }
  /** [start, end) of the clause or sentence around position i (a mark ends its own scope) */
  of(i: number, scope: "clause" | "sentence"): [number, number] {
    const marks = scope === "clause" ? this.clauseMarks : this.sentenceMarks;
    let lo = 0;
    let hi = marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return [lo > 0 ? marks[lo - 1]! + 1 : 0, lo < marks.length ? marks[lo]! : this.length];
  }
}

/** what the detectors need of the scopes: the clause or sentence around a position */
export type ScopeReader = Pick<Scopes, "of">;
