/**
 * Aho–Corasick multi-phrase matching over UTF-16 code units: built once from the phrases, then
 * every occurrence of every phrase in a text is reported in one linear pass, without allocating
 * per position (the library we used first allocated an array per match position, which made a
 * 100 KB input cost several times more).
 */
export class PhraseMatcher {
  private readonly goto: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** phrase ids that end at each state, including those reached through failure links */
  private readonly outputs: number[][] = [[]];
  private readonly lengths: number[];

  constructor(phrases: readonly string[]) {
    this.lengths = phrases.map((p) => p.length);
    phrases.forEach((phrase, id) => {
      let state = 0;
      for (let i = 0; i < phrase.length; i++) {
        const c = phrase.charCodeAt(i);
        let next = this.goto[state]!.get(c);
        if (next === undefined) {
          next = this.goto.length;
          this.goto.push(new Map());
          this.fail.push(0);
          this.outputs.push([]);
          this.goto[state]!.set(c, next);
        }
        state = next;
      }
      this.outputs[state]!.push(id);
    });
    // breadth-first: failure links, and outputs inherited along them
    const queue: number[] = [...this.goto[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [c, child] of this.goto[state]!) {
        let f = this.fail[state]!;
        while (f !== 0 && !this.goto[f]!.has(c)) f = this.fail[f]!;
        const target = this.goto[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.outputs[child]!.push(...this.outputs[this.fail[child]!]!);
        queue.push(child);
      }
    }
  }

  /** Calls `found(id, start, end)` for every occurrence, in order of its end. */
  forEach(text: string, found: (id: number, start: number, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.goto[state]!.get(c);
      while (next === undefined && state !== 0) {
        state = this.fail[state]!;
        next = this.goto[state]!.get(c);
      }
      state = next ?? 0;
      const out = this.outputs[state]!;
      for (let k = 0; k < out.length; k++) {
        const id = out[k]!;
        found(id, i + 1 - this.lengths[id]!, i + 1);
      }
    }
  }
}
