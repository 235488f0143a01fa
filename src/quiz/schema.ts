import { z } from "zod";
import { COMPLIANCE_CATEGORIES, SCENARIO_CODES } from "../knowledge/codes.ts";

/** Telegram poll limits: question ≤ 300, option ≤ 100, explanation ≤ 200 characters. */
export const quizQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case ascii"),
    /** the knowledge entry this question comes from */
    entry: z.string().min(1),
    codes: z.array(z.enum(SCENARIO_CODES)).default([]),
    categories: z.array(z.enum(COMPLIANCE_CATEGORIES)).default([]),
    question: z.string().trim().min(1).max(300),
    options: z.array(z.string().trim().min(1).max(100)).min(3).max(4),
    /** index of the one correct option */
    answer: z.number().int().min(0),
    explanation: z.string().trim().min(1).max(200),
  })
  .refine((q) => q.answer < q.options.length, { message: "answer must index an option", path: ["answer"] })
  .refine((q) => q.codes.length + q.categories.length > 0, {
    message: "give at least one scenario code or compliance category",
    path: ["codes"],
  })
  .refine((q) => new Set(q.options).size === q.options.length, {
    message: "options must differ",
    path: ["options"],
  });

export type QuizQuestion = z.infer<typeof quizQuestionSchema>;
