import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CoachError } from "../errors.ts";
import { COMPLIANCE_CATEGORIES } from "../knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../knowledge/load.ts";

/**
 * The real-language compliance corpus (knowledge/compliance-corpus/*.jsonl): utterances written in the
 * registers real collectors, lenders, complainants and regulators use, each with the public source whose
 * vocabulary and pattern it follows. It trains the learned layer and measures both layers.
 */
export const corpusItemSchema = z
  .object({
    text: z.string().trim().min(1).max(2000),
    label: z.enum(["violation", "ok"]),
    categories: z.array(z.enum(COMPLIANCE_CATEGORIES)).max(3),
    source: z.url(),
    register: z.enum([
      "spoken",
      "crude",
      "sms",
      "formal-notice",
      "supervisor",
      "training",
      "transcript",
      "chat",
    ]),
    script: z.enum(["hans", "hant"]),
    region: z.enum(["mainland", "taiwan", "hongkong"]),
  })
  .refine((i) => (i.label === "violation" ? i.categories.length > 0 : i.categories.length === 0), {
    message: "a violation names 1–3 categories, an ok item none",
    path: ["categories"],
  });

export type CorpusItem = z.infer<typeof corpusItemSchema> & { file: string; line: number };
export type Split = "train" | "heldout";

/** Share of sources (not items) kept out of training and tuning. */
export const HELDOUT_SHARE = 0.3;

/**
 * The split an item belongs to, decided by its source alone: every item written after one page lands on
 * the same side, so held-out figures measure language from pages the model and the rules never saw.
 * The source is the page without query or fragment; the decision is a stable hash (FNV-1a).
 */
export function splitOf(source: string): Split {
  let key = source;
  try {
    const u = new URL(source);
    key = `${u.host}${u.pathname}`.replace(/\/+$/, "");
  } catch {
    // not a URL: hash it as it is
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 1000) / 1000 < HELDOUT_SHARE ? "heldout" : "train";
}

export const DEFAULT_CORPUS_DIR = join(DEFAULT_KNOWLEDGE_DIR, "compliance-corpus");

/** Read and validate every corpus file; errors name the file, line and field. Duplicated texts are dropped. */
export function loadCorpus(dir = DEFAULT_CORPUS_DIR): CorpusItem[] {
  const errors: string[] = [];
  const items: CorpusItem[] = [];
  const seen = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".jsonl"))
      .sort();
  } catch (err) {
    throw new CoachError("KNOWLEDGE_INVALID", [`${dir}: ${(err as Error).message}`]);
  }
  for (const file of files) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    lines.forEach((raw, i) => {
      if (!raw.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        errors.push(`${file}:${i + 1}: not valid JSON`);
        return;
      }
      const r = corpusItemSchema.safeParse(json);
      if (!r.success) {
        for (const issue of r.error.issues)
          errors.push(`${file}:${i + 1}: ${issue.path.join(".")}: ${issue.message}`);
        return;
      }
      const key = r.data.text.replace(/\s+/g, "");
      if (seen.has(key)) return;
      seen.add(key);
      items.push({ ...r.data, file, line: i + 1 });
    });
  }
  if (errors.length) throw new CoachError("KNOWLEDGE_INVALID", errors);
  return items;
}
