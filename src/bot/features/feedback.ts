import { Composer } from "grammy";
import { DISLIKE_REASONS } from "../../storage/gaps.ts";
import { redact } from "../../text/redact.ts";
import type { BotContext } from "../context.ts";
import { isRegistered } from "../filters/roles.ts";
import { CB_RE, reasonKeyboard } from "../keyboards.ts";

/**
 * 👍 / 👎 on an answer. After 👎 the user picks a reason, or types one: the next text within
 * REASON_WINDOW_MS is taken as the reason (not as a new question), unless they press "skip".
 * Reasons are kept, redacted, with the question in /gaps. Callback data arrives verified (signed).
 */
export const feedback = new Composer<BotContext>();
const reg = feedback.filter(isRegistered);

export const REASON_WINDOW_MS = 5 * 60_000;
const NOTE_MAX = 300;

interface AwaitingReason {
  entryId: string;
  /** the question the answer replied to (redacted), if known */
  question: string | null;
  at: number;
}
const key = (userId: number) => `fbwait:${userId}`;

const redacted = (s: string | undefined) => (s ? redact(s).slice(0, 200) : null);

async function record(ctx: BotContext, w: AwaitingReason, extra: { reason?: number; note?: string }) {
  const title = ctx.deps.coach.entries.get(w.entryId)?.title ?? w.entryId;
  const reason = extra.reason === undefined ? undefined : DISLIKE_REASONS[extra.reason];
  await ctx.deps.storage.gaps.record({
    team: ctx.user!.team,
    kind: "disliked",
    text: w.question ?? redact(title).slice(0, 200),
    entryId: w.entryId,
    ...(reason ? { reason } : {}),
    ...(extra.note ? { note: extra.note } : {}),
    at: ctx.deps.clock.now(),
  });
}

reg.callbackQuery(CB_RE.up, async (ctx) => {
  const entry = ctx.match[1]!;
  if (!ctx.deps.coach.entries.has(entry))
    return void (await ctx.answerCallbackQuery({ text: ctx.t.expired }));
  await ctx.deps.storage.gaps.feedback(entry, "up");
  await ctx.answerCallbackQuery({ text: ctx.t.thanks });
});

reg.callbackQuery(CB_RE.down, async (ctx) => {
  const entry = ctx.match[1]!;
  if (!ctx.deps.coach.entries.has(entry))
    return void (await ctx.answerCallbackQuery({ text: ctx.t.expired }));
  await ctx.deps.storage.gaps.feedback(entry, "down");
  await ctx.answerCallbackQuery();
  const answer = ctx.callbackQuery.message;
  const question = answer && "reply_to_message" in answer ? answer.reply_to_message?.text : undefined;
  const waiting: AwaitingReason = {
    entryId: entry,
    question: redacted(question),
    at: ctx.deps.clock.now().getTime(),
  };
  await ctx.deps.storage.kv.set(key(ctx.from.id), waiting, REASON_WINDOW_MS);
  await ctx.reply(ctx.t.whyDownPrompt, {
    reply_markup: reasonKeyboard(ctx.t, entry),
    ...(answer
      ? { reply_parameters: { message_id: answer.message_id, allow_sending_without_reply: true } }
      : {}),
  });
});

/** The waiting reason for this user and entry (taken: at most one reason per 👎). */
async function takeWaiting(ctx: BotContext, entry?: string): Promise<AwaitingReason | undefined> {
  const k = key(ctx.from!.id);
  const w = await ctx.deps.storage.kv.get<AwaitingReason>(k);
  if (!w || (entry && w.entryId !== entry)) return undefined;
  await ctx.deps.storage.kv.delete(k);
  return ctx.deps.clock.now().getTime() - w.at <= REASON_WINDOW_MS ? w : undefined;
}

reg.callbackQuery(CB_RE.reason, async (ctx) => {
  const index = Number(ctx.match[1]);
  const entry = ctx.match[2]!;
  const reason = DISLIKE_REASONS[index];
  if (!reason || !ctx.deps.coach.entries.has(entry))
    return void (await ctx.answerCallbackQuery({ text: ctx.t.expired }));
  // the question: kept at 👎, else from the reply chain (prompt → answer → question)
  const prompt = ctx.callbackQuery.message;
  const answer = prompt && "reply_to_message" in prompt ? prompt.reply_to_message : undefined;
  // Telegram nests one level of replies; the prompt's reply carries the answer's own reply_to_message
  const quoted = (answer as { reply_to_message?: { text?: string } } | undefined)?.reply_to_message?.text;
  const w = await takeWaiting(ctx, entry);
  await record(ctx, { entryId: entry, question: w?.question ?? redacted(quoted), at: 0 }, { reason: index });
  await ctx.answerCallbackQuery({ text: ctx.t.thanks });
  await ctx
    .editMessageText(`${ctx.t.whyDown} ${ctx.t.reasons[reason]} · ${ctx.t.thanks}`)
    .catch(() => undefined);
});

reg.callbackQuery(CB_RE.skip, async (ctx) => {
  await takeWaiting(ctx, ctx.match[1]);
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t.reasonSkipped).catch(() => undefined);
});

// the next text after 👎 (within the window) is the reason, not a question
reg.chatType("private").on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next();
  const w = await takeWaiting(ctx);
  if (!w) return next();
  await record(ctx, w, { note: redact(ctx.msg.text.trim()).slice(0, NOTE_MAX) });
  await ctx.reply(ctx.t.reasonThanks);
});
