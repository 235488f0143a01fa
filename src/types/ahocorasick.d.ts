declare module "ahocorasick" {
  /** Aho–Corasick automaton over UTF-16 code units; search returns [endIndex, keywords] pairs. */
  export default class AhoCorasick {
    constructor(keywords: string[]);
    search(text: string): Array<[number, string[]]>;
  }
}
