import type { QuizQuestion } from "./schema.ts";

/**
 * The texts of a quiz question that speak for the coach: the stem, the correct answer and the
 * explanation. These must pass the compliance guard. The incorrect options are wrong answers on
 * display — in a compliance quiz often a bad practice on purpose — and Telegram marks them wrong
 * once the collector answers, so they are not advice and the guard does not read them.
 */
export function adviceTexts(
  q: Pick<QuizQuestion, "question" | "options" | "answer" | "explanation">,
): string[] {
  return [q.question, q.options[q.answer]!, q.explanation];
}
