import { z } from "zod";
import { COMPLIANCE_CATEGORIES } from "../knowledge/codes.ts";

const phrases = z.array(z.string().trim().min(1)).min(1);

/**
 * One compliance rule, authored in knowledge/rules/*.yaml.
 *
 * A rule fires when, inside one clause (or sentence, with `scope: sentence`):
 *  - any phrase of `any` occurs, or
 *  - for one of the `combos`, a phrase of every group occurs (cue combination: target + act),
 *  - or its built-in `detector` finds something (night contact, call counts),
 * and the match is not negated (「严禁…」「我们不会…」「…是违法的」) and no `unless` phrase occurs in
 * the same scope (hedges such as 可能 / 依法 / 如果 that make a statement truthful and measured).
 */
export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case ascii"),
    category: z.enum(COMPLIANCE_CATEGORIES),
    severity: z.enum(["warn", "block"]),
    description: z.string().trim().min(1),
    /** why it is wrong, shown to the collector */
    explanation: z.string().trim().min(1),
    /** legal basis: document and article */
    basis: z.string().trim().min(1),
    /** what to say instead: one compliant sentence */
    suggest: z.string().trim().min(1),
    any: phrases.optional(),
    combos: z.array(z.array(phrases).min(2)).optional(),
    detector: z.enum(["night-contact", "call-count"]).optional(),
    unless: z.array(z.string().trim().min(1)).default([]),
    scope: z.enum(["clause", "sentence"]).default("clause"),
    /** cue combinations: the most compact characters from the first cue to the end of the last */
    window: z.number().int().positive().default(24),
    /** false for phrases that are violations even under a negation word */
    negatable: z.boolean().default(true),
  })
  .refine((r) => r.any || r.combos || r.detector, { message: "give any, combos or detector", path: ["any"] });

export type Rule = z.infer<typeof ruleSchema>;
export type Severity = Rule["severity"];
