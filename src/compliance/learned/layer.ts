import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CoachError } from "../../errors.ts";
import { COMPLIANCE_CATEGORIES, type ComplianceCategory } from "../../knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../../knowledge/load.ts";
import { normalize } from "../../text/normalize.ts";
import type { SecondOpinion, Violation } from "../engine.ts";
import type { Rule } from "../rule-schema.ts";
import { FastTextModel } from "./fasttext.ts";
import { modelTokens } from "./features.ts";
import { NearestExamples } from "./nearest.ts";

export const MODEL_DIR_NAME = "compliance-model";
export const MODEL_FILE = "model.ftz";
export const META_FILE = "model.json";
export const OK_LABEL = "ok";

/** What `npm run train` writes next to the model: how it was trained and the calibrated thresholds. */
export const modelMetaSchema = z.object({
  version: z.literal(1),
  options: z.object({
    loss: z.enum(["ova", "softmax"]),
    dim: z.number(),
    epoch: z.number(),
    lr: z.number(),
    wordNgrams: z.number(),
    bucket: z.number(),
  }),
  /** probability of "not ok" from which the model warns / blocks (chosen on the train split) */
  thresholds: z.object({ warn: z.number().min(0).max(1), block: z.number().min(0).max(1) }),
  training: z.object({ items: z.number(), corpusTrain: z.number(), sources: z.number() }),
  /** nearest-example pool: corpus train violations */
  examples: z.array(z.object({ text: z.string(), categories: z.array(z.enum(COMPLIANCE_CATEGORIES)) })),
});
export type ModelMeta = z.infer<typeof modelMetaSchema>;

export interface Score {
  /** probability that the text is not compliant */
  violation: number;
  /** the likeliest category when it is not */
  category: ComplianceCategory;
}

/**
 * The probability of a violation and its likeliest category, from the label probabilities. One-vs-all
 * gives every label its own probability, so a text unlike anything seen (「今天午饭吃什么」) can score
 * low on every label; a softmax hands all its mass to some label.
 */
export function violationScore(probs: Map<string, number>, loss: "ova" | "softmax"): Score {
  let category: ComplianceCategory = COMPLIANCE_CATEGORIES[0];
  let best = 0;
  for (const [label, p] of probs) {
    if (label !== OK_LABEL && p > best) {
      best = p;
      category = label as ComplianceCategory;
    }
  }
  // softmax: everything that is not "ok"; one-vs-all: the likeliest category on its own
  return { violation: loss === "softmax" ? 1 - (probs.get(OK_LABEL) ?? 0) : best, category };
}

/** Texts up to this length are read whole, as the model was trained; longer ones in pieces of sentences. */
const WHOLE_TEXT = 240;
const PIECE_LENGTH = 160;
/** At most this many pieces of a long text are scored, so checking stays linear. */
const MAX_PIECES = 48;
const MIN_CHARS = 10;
const SENTENCE_END = /[。！？!?\n…；;]+/g;

/**
 * The learned second layer: a fastText model over character n-grams trained on the real-language
 * corpus. Rules go first; when they pass and the model is confident, it adds a finding with the
 * category's explanation and legal basis and the nearest corpus example. It never clears a rule.
 */
export class LearnedLayer implements SecondOpinion {
  private readonly model: FastTextModel;
  private readonly categories: Map<ComplianceCategory, Rule>;
  private readonly nearest: NearestExamples;

  constructor(
    bytes: Uint8Array,
    readonly meta: ModelMeta,
    rules: readonly Rule[],
  ) {
    this.model = new FastTextModel(bytes);
    this.categories = new Map();
    for (const r of rules) if (!this.categories.has(r.category)) this.categories.set(r.category, r);
    this.nearest = new NearestExamples(meta.examples);
  }

  /** The shipped model under <knowledgeDir>/compliance-model, or null when none was trained. */
  static load(rules: readonly Rule[], knowledgeDir = DEFAULT_KNOWLEDGE_DIR): LearnedLayer | null {
    const dir = join(knowledgeDir, MODEL_DIR_NAME);
    if (!existsSync(join(dir, MODEL_FILE))) return null;
    try {
      const meta = modelMetaSchema.parse(JSON.parse(readFileSync(join(dir, META_FILE), "utf8")));
      return new LearnedLayer(new Uint8Array(readFileSync(join(dir, MODEL_FILE))), meta, rules);
    } catch (err) {
      throw new CoachError("RULES_INVALID", [`${dir}: ${(err as Error).message}`]);
    }
  }

  /** The model's reading of one piece of text. */
  score(text: string): Score {
    return violationScore(this.model.predict(modelTokens(text)), this.meta.options.loss);
  }

  judge(text: string): Violation | null {
    // the corpus holds no utterance under ten characters: the model has not learnt to read one (a
    // greeting, a heading, 「请您尽快还款」); the rules still do
    if (text.length < MIN_CHARS * 4 && normalize(text, { compact: true }).text.length < MIN_CHARS)
      return null;
    let top: { score: Score; start: number; end: number } | null = null;
    for (const [start, end] of pieces(text)) {
      const score = this.score(text.slice(start, end));
      if (!top || score.violation > top.score.violation) top = { score, start, end };
    }
    if (!top || top.score.violation < this.meta.thresholds.warn) return null;
    const { category } = top.score;
    const rule = this.categories.get(category);
    const evidence = text.slice(top.start, top.end).trim();
    const start = top.start + text.slice(top.start, top.end).indexOf(evidence);
    const example = this.nearest.find(evidence, category);
    return {
      rule: `model-${category}`,
      category,
      severity: top.score.violation >= this.meta.thresholds.block ? "block" : "warn",
      evidence,
      start,
      end: start + evidence.length,
      description: rule?.description ?? category,
      explanation: rule?.explanation ?? "",
      basis: rule?.basis ?? "",
      confidence: Math.round(top.score.violation * 100) / 100,
      ...(example ? { example } : {}),
    };
  }
}

/**
 * [start, end) spans to score: the whole text when it is short, else runs of whole sentences of about
 * PIECE_LENGTH characters (a sentence alone is too little context for the model), a run without a
 * sentence end cut every PIECE_LENGTH. A text of more than MAX_PIECES pieces is sampled evenly (the
 * rules read all of it; the bot's inputs are far shorter), so reading stays bounded.
 */
function pieces(text: string): Array<[number, number]> {
  if (text.length <= WHOLE_TEXT) return [[0, text.length]];
  const ends: number[] = [];
  for (const m of text.matchAll(SENTENCE_END)) ends.push(m.index + m[0].length);
  if (ends[ends.length - 1] !== text.length) ends.push(text.length);
  const spans: Array<[number, number]> = [];
  let from = 0;
  for (const end of ends) {
    if (end - from < PIECE_LENGTH && end !== text.length) continue;
    for (let cut = from; cut < end; cut += PIECE_LENGTH * 2) {
      const to = Math.min(end, cut + PIECE_LENGTH * 2);
      if (!text.slice(cut, to).trim()) continue;
      const last = spans[spans.length - 1];
      // a short tail (a last heading) is read with the piece before it
      if (last && to === text.length && to - cut < PIECE_LENGTH / 2) last[1] = to;
      else spans.push([cut, to]);
    }
    from = end;
  }
  if (spans.length <= MAX_PIECES) return spans;
  const step = spans.length / MAX_PIECES;
  return Array.from({ length: MAX_PIECES }, (_, i) => spans[Math.floor(i * step)]!);
}
