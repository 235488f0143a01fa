import { z } from "zod";
import { EXCUSE_CODES, SCENARIO_CODES } from "../knowledge/codes.ts";

const text = z.string().trim().min(1);
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case ascii");

export const DIFFICULTIES = ["easy", "normal", "hard"] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/**
 * A move: something a collector does in a reply, recognised by cue words (matched on the
 * Simplified, lower-cased reply). `amount` and `date` are built-in detectors: the reply names a sum
 * of money / a day. A move may need all of its detectors (`all: true`) or any of them.
 */
export const moveSchema = z
  .object({
    label: text,
    cues: z.array(text).default([]),
    /** the reply must also ask something (？ 吗 呢 多少 什么 …) */
    question: z.boolean().default(false),
    amount: z.boolean().default(false),
    date: z.boolean().default(false),
  })
  .refine((m) => m.cues.length > 0 || m.amount || m.date, {
    message: "a move needs cues or a detector (amount, date)",
    path: ["cues"],
  });

/** A rubric item: met when its move shows in some reply (or, for `avoid`, never shows). */
export const rubricItemSchema = z.object({
  label: text,
  move: id,
  avoid: z.boolean().default(false),
  /** a model phrasing, shown when the scenario's entry has none for this item */
  example: text.optional(),
});

/** Lines a debtor says in one turn, keyed by the collector's move; `default` when no keyed move fits. */
export const branchesSchema = z
  .record(z.string(), text)
  .refine((b) => typeof b.default === "string", { message: "a turn needs a default line" })
  .refine((b) => Object.keys(b).length >= 2, {
    message: "a turn needs at least one branch besides default",
  });

export const scenarioSchema = z.object({
  id,
  /** the excuse code this scenario trains */
  code: z.enum(EXCUSE_CODES),
  /** the knowledge entry whose steps and example phrasings the rubric draws on */
  entry: id,
  difficulty: z.enum(DIFFICULTIES),
  title: text,
  /** who the debtor is, shown when the round starts */
  persona: text,
  /** the debtor's first line */
  opening: text,
  /** the debtor's answer to each collector reply, in order */
  turns: z.array(branchesSchema).min(3),
  /** the debtor's last line: after an agreement (deal) or when the turns run out without one (open) */
  close: z.object({ deal: text, open: text }),
  /** rubric item ids; when missing, the type's default rubric */
  rubric: z.array(id).optional(),
});

/** Shared parts: moves, rubric items, per-type defaults and lines, difficulty settings. */
export const templatesSchema = z.object({
  /** order in which moves pick a branch when a reply shows several */
  priority: z.array(id).min(1),
  moves: z.record(id, moveSchema),
  rubric: z.record(id, rubricItemSchema),
  /** per excuse code (and `default`): the rubric used when a scenario names none */
  types: z.record(z.string(), z.object({ rubric: z.array(id).min(1) })),
  difficulty: z.record(
    z.enum(DIFFICULTIES),
    z.object({
      /** how many threats the debtor takes before hanging up */
      patience: z.number().int().min(0),
      /** the debtor's answer to a threat or pressure (when the turn has no `threat` line) */
      escalate: z.array(text).min(1),
      /** the debtor's last words on hanging up */
      hangup: text,
    }),
  ),
});

export type Move = z.infer<typeof moveSchema>;
export type RubricItem = z.infer<typeof rubricItemSchema>;
export type Scenario = z.infer<typeof scenarioSchema>;
export type Templates = z.infer<typeof templatesSchema>;

/** A scenario with its rubric resolved. */
export interface LoadedScenario extends Scenario {
  rubric: string[];
}

export const isScenarioCode = (s: string): s is (typeof SCENARIO_CODES)[number] =>
  (SCENARIO_CODES as readonly string[]).includes(s);
