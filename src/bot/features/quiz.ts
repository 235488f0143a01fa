import { Composer } from "grammy";
import { applyAnswer, pickQuestion } from "../../quiz/scheduler.ts";
import type { User } from "../../storage/users.ts";
import { inScript } from "../../text/script.ts";
import type { BotContext } from "../context.ts";
import { isRegistered } from "../filters/roles.ts";
import { LOCALES, scriptOf } from "../locales/index.ts";

/** /quiz sends a native quiz poll; poll_answer updates are scored with FSRS. */
export const quiz = new Composer<BotContext>();

quiz
  .chatType("private")
  .filter(isRegistered)
  .command("quiz", async (ctx) => {
    if (!ctx.deps.quiz.length) return void (await ctx.reply(ctx.t.quizEmpty));
    const ok = await ctx.deps.sendQuiz(ctx.user!, ctx.chat.id);
    if (!ok) await ctx.reply(ctx.t.quizPollFailed);
  });

quiz.on("poll_answer", async (ctx) => {
  const answer = ctx.pollAnswer;
  const { storage, quiz: bank, clock, config } = ctx.deps;
  const rec = await storage.quiz.takePoll(answer.poll_id);
  if (!rec || !answer.user || rec.userId !== answer.user.id || !answer.option_ids.length) return;
  const q = bank.find((x) => x.id === rec.questionId);
  if (!q) return;
  const correct = answer.option_ids.length === 1 && answer.option_ids[0] === q.answer;
  await storage.quiz.update(rec.userId, (s) => applyAnswer(s, q, correct, clock.now(), config.TIMEZONE));
});

/** Pick the next question for a user and send it as a quiz poll; remembers poll id → user/question. */
export function quizSender(
  deps: Pick<BotContext["deps"], "storage" | "quiz" | "clock" | "logger">,
  api: BotContext["api"],
) {
  return async (user: User, chatId: number, intro = false): Promise<boolean> => {
    const userId = user.id;
    const script = scriptOf(user.locale);
    const state = await deps.storage.quiz.get(userId);
    const q = pickQuestion(state, deps.quiz, deps.clock.now());
    if (!q) return false;
    if (intro) await api.sendMessage(chatId, LOCALES[user.locale].dailyQuizIntro);
    const msg = await api.sendPoll(
      chatId,
      inScript(q.question, script),
      q.options.map((o) => ({ text: inScript(o, script) })),
      {
        type: "quiz",
        is_anonymous: false,
        correct_option_ids: [q.answer],
        explanation: inScript(q.explanation, script),
      },
    );
    if (!msg.poll) return false;
    await deps.storage.quiz.putPoll({
      pollId: msg.poll.id,
      userId,
      chatId,
      questionId: q.id,
      sentAt: deps.clock.now().toISOString(),
    });
    return true;
  };
}
