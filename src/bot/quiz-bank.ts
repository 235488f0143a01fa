import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Coach } from "../core/coach.ts";
import { adviceTexts } from "../quiz/advice.ts";
import { loadQuiz } from "../quiz/load.ts";
import type { QuizQuestion } from "../quiz/schema.ts";
import type { Logger } from "./logger.ts";

/** The quiz bank the bot may send: validated at load, and only questions whose advice passes the guard. */
export function loadQuizBank(knowledgeDir: string, coach: Coach, logger: Logger): QuizQuestion[] {
  const dir = join(knowledgeDir, "quiz");
  if (!existsSync(dir)) return [];
  const all = loadQuiz(dir, new Set(coach.entries.keys()));
  const ok = all.filter((q) => adviceTexts(q).every((t) => coach.guard(t).allowed));
  if (ok.length < all.length)
    logger.warn("quiz questions held back by the compliance guard", {
      held: all.filter((q) => !ok.includes(q)).map((q) => q.id),
    });
  return ok;
}
