import MiniSearch from "minisearch";
import type { Entry } from "../knowledge/schema.ts";
import { normalize } from "../text/normalize.ts";
import { preferSibling } from "./siblings.ts";
import { expandQuery } from "./synonyms.ts";
import { tokenize } from "./tokenize.ts";

/** What the index holds: a curated entry, or a passage ingested from a company's own documents. */
export interface SearchDoc {
  id: string;
  kind: "entry" | "passage";
  title: string;
  codes: string[];
  triggers: string;
  keywords: string;
  diagnosis: string;
  body: string;
  /** for passages: a readable source, the document's title and the heading path */
  source?: string;
  /** for passages: the file inside the ingested folder */
  file?: string;
  /** for passages: the document's own title */
  docTitle?: string;
}

export interface Hit {
  id: string;
  kind: SearchDoc["kind"];
  title: string;
  codes: string[];
  score: number;
  source?: string;
}

/**
 * How sure the retriever is of its best hit: `high` answers it, `unsure` says so and offers the top
 * three as choices, `none` says nothing reliable was found.
 */
export type Confidence = "high" | "unsure" | "none";

export interface SearchResult {
  hits: Hit[];
  /** true only for `high`: answer from the best hit; otherwise say so instead of guessing */
  confident: boolean;
  confidence: Confidence;
}

/** Seam for an optional second-stage reranker (e.g. embeddings); the lexical order is kept without one. */
export interface Reranker {
  rerank(query: string, hits: Hit[]): Promise<Hit[]>;
}

export interface RetrieverOptions {
  /** minimum score of the best hit for a confident answer */
  threshold?: number;
  /** below this the best hit is not offered as an answer at all (default: 40% of the threshold) */
  floor?: number;
  /** raw passages are multiplied by this, so curated entries rank first at equal relevance */
  passageWeight?: number;
}

export const FIELD_BOOSTS = { triggers: 3, title: 2.5, keywords: 2, diagnosis: 1, body: 0.4 };
/** Calibrated on the shipped base: on-topic questions score ≥ ~400, off-topic chat ≤ ~150. */
export const DEFAULT_THRESHOLD = 200;
/**
 * Margin test, calibrated on the labelled questions of tests/fixtures/questions/tune.yaml: when the
 * runner-up scores at least this share of the best hit and the two share no scenario code, the
 * question sits between two topics — 10 of the 15 wrong best hits there, 12 of the 178 right ones.
 */
export const AMBIGUOUS_RATIO = 0.7;
/**
 * Below the threshold (short questions such as a document heading score low) the best hit is still
 * answered when nothing else comes near: the runner-up under this share of its score.
 */
export const CLEAR_LEAD_RATIO = 0.35;

/** The confidence of a ranked list: absolute score, margin over the runner-up and agreement of their codes. */
export function confidenceOf(
  ranked: Array<{ score: number; codes: string[] }>,
  threshold: number,
  floor: number,
): Confidence {
  const [a, b] = ranked;
  if (!a || a.score < floor) return "none";
  const ratio = b ? b.score / a.score : 0;
  if (a.score < threshold) return ratio < CLEAR_LEAD_RATIO ? "high" : "unsure";
  if (b && ratio >= AMBIGUOUS_RATIO && !b.codes.some((c) => a.codes.includes(c))) return "unsure";
  return "high";
}

export function entryToDoc(e: Entry): SearchDoc {
  return {
    id: e.id,
    kind: "entry",
    title: e.title,
    codes: e.codes,
    triggers: e.triggers.join("\n"),
    keywords: e.keywords.join(" "),
    diagnosis: e.diagnosis,
    body: [e.situation, ...e.steps].join("\n"),
  };
}

/** Chinese-aware lexical retrieval over MiniSearch (BM25+), with field boosts and slang synonyms. */
export class Retriever {
  private readonly index: MiniSearch<SearchDoc>;
  private readonly threshold: number;
  private readonly floor: number;
  private readonly passageWeight: number;
  readonly size: number;

  constructor(docs: SearchDoc[], options: RetrieverOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
    this.floor = options.floor ?? this.threshold * 0.4;
    this.passageWeight = options.passageWeight ?? 0.5;
    this.index = new MiniSearch<SearchDoc>({
      fields: ["title", "triggers", "keywords", "diagnosis", "body"],
      storeFields: ["kind", "title", "codes", "source"],
      tokenize,
      processTerm: (t) => t,
      searchOptions: { boost: FIELD_BOOSTS, combineWith: "OR" },
    });
    this.index.addAll(docs);
    this.size = docs.length;
  }

  search(query: string, k = 5): SearchResult {
    const norm = normalize(query).text;
    const expanded = [query, ...expandQuery(norm)].join(" ");
    // raw passages weigh less than curated entries (applied after scoring: the same factor on every
    // term, without a callback per document and term)
    const raw = preferSibling(
      norm,
      this.index
        .search(expanded)
        .map((r) => (r.kind === "passage" ? { ...r, score: r.score * this.passageWeight } : r))
        .sort((a, b) => b.score - a.score),
    );
    const hits: Hit[] = raw.slice(0, k).map((r) => ({
      id: String(r.id),
      kind: r.kind as SearchDoc["kind"],
      title: r.title as string,
      codes: r.codes as string[],
      score: Math.round(r.score * 100) / 100,
      ...(r.source ? { source: r.source as string } : {}),
    }));
    const confidence = confidenceOf(raw as unknown as Hit[], this.threshold, this.floor);
    return { hits, confident: confidence === "high", confidence };
  }
}
