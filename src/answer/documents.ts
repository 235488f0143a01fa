import type { Entry } from "../knowledge/schema.ts";
import { toSimplified } from "../text/script.ts";

/**
 * Readable names of the training documents the curated entries cite (their files carry hashed
 * names). Ingesting a folder adds the titles it finds; these are the shipped defaults.
 */
export const DOCUMENT_TITLES: Record<string, string> = {
  "000_24ee06940e58e696.txt": "电话催收新人培训",
  "001_935e515f31ec90f9.txt": "信用卡逾期催收新形势及应对策略（课程大纲）",
  "002_b86a8b1ca17eaa03.txt": "催收培训内容问答",
  "003_c855b1b011c4c153.txt": "催收员技能如何提高",
  "004_b228cd1fa7519163.txt": "银行贷款催收培训课件",
};

export type DocumentTitles = ReadonlyMap<string, string>;

/** The shipped names, plus those an ingested folder gives for other files (the shipped names stay). */
export function documentTitles(extra: Iterable<[string, string]> = []): Map<string, string> {
  return new Map([...extra, ...Object.entries(DOCUMENT_TITLES)]);
}

/**
 * Where an entry's facts come from, as a reader sees it: document title › section, in Simplified
 * (the whole answer is converted for a Traditional reader afterwards). Unknown files keep their name.
 */
export function sourcesLine(entry: Entry, titles: DocumentTitles = documentTitles()): string {
  return entry.sources
    .map((s) => `${toSimplified(titles.get(s.file) ?? s.file)} › ${toSimplified(s.section)}`)
    .join("；");
}
