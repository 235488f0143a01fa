import { z } from "zod";
import { SCENARIO_CODES } from "./codes.ts";

const text = z.string().trim().min(1);

export const sourceSchema = z.object({
  /** training-material file name, e.g. 000_24ee06940e58e696.txt */
  file: text,
  /** heading or section inside that file */
  section: text,
});

export const neverSchema = z.object({
  /** what never to say or do, written as a description ("以坐牢相威胁"), not as a quotable line */
  dont: text,
  /** why it is wrong: the law, the risk, the effect on the debtor */
  why: text,
});

/** One curated coaching entry, authored as YAML in knowledge/entries/. */
export const entrySchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case ascii"),
  title: text,
  codes: z.array(z.enum(SCENARIO_CODES)).min(1),
  /** how collectors actually ask it: colloquial, both scripts */
  triggers: z.array(text).min(6),
  /** extra search words (slang, synonyms) that are not full questions */
  keywords: z.array(text).default([]),
  /** one-line diagnosis: what is going on */
  diagnosis: text,
  /** debtor psychology, stage, background (a short paragraph) */
  situation: text,
  steps: z.array(text).min(2),
  say: z.array(text).min(2),
  never: z.array(neverSchema).min(1),
  sources: z.array(sourceSchema).min(1),
  related: z.array(z.string()).default([]),
});

export type Entry = z.infer<typeof entrySchema>;
export type EntrySource = z.infer<typeof sourceSchema>;
