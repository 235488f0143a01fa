import { Composer } from "grammy";
import { composeAnswer, morePhrasing } from "../../answer/compose.ts";
import type { AskResult } from "../../core/coach.ts";
import { escapeHtml } from "../../text/html.ts";
import { redact } from "../../text/redact.ts";
import type { Script } from "../../text/script.ts";
import type { BotContext } from "../context.ts";
import { isRegistered } from "../filters/roles.ts";
import { answerKeyboard, CB, CB_RE, choicesKeyboard } from "../keyboards.ts";
import { html } from "../middleware.ts";
import { withTyping } from "../typing.ts";

/** Ask: plain text or /ask in a private chat → the coaching answer with feedback, more phrasing and related topics. */
export const ask = new Composer<BotContext>();
const pm = ask.chatType("private").filter(isRegistered);

const relatedOf = (ctx: BotContext, ids: string[]) =>
  ids.flatMap((id) => {
    const e = ctx.deps.coach.entries.get(id);
    return e ? [{ id, title: e.title }] : [];
  });

async function sendAnswer(
  ctx: BotContext,
  r: Pick<AskResult, "html" | "entryId" | "related"> & Partial<Pick<AskResult, "choices">>,
  script: Script,
  replyTo?: number,
) {
  const entry = r.entryId ? ctx.deps.coach.entries.get(r.entryId) : undefined;
  await ctx.reply(r.html, {
    ...html,
    ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
    reply_markup: r.choices?.length
      ? choicesKeyboard(script, relatedOf(ctx, r.choices))
      : answerKeyboard(ctx.t, script, r.entryId, relatedOf(ctx, r.related), (entry?.say.length ?? 0) > 2),
  });
}

async function answerQuestion(ctx: BotContext, question: string, messageId: number) {
  const { coach, llm, storage, config, clock } = ctx.deps;
  if (!question) return void (await ctx.reply(ctx.t.askUsage));
  if (question.length > config.MAX_INPUT_CHARS)
    return void (await ctx.reply(ctx.t.tooLong(config.MAX_INPUT_CHARS)));
  // LLM mode: a grounded answer within the time budget, else the offline one (LlmCoach decides)
  const r = llm ? await withTyping(ctx, () => llm.ask(question, String(ctx.from!.id))) : coach.ask(question);
  // a miss: nothing reliable found, or not sure which topic was meant (answers from an ingested
  // passage and "can I" verdicts are answers)
  if (r.confidence !== "high") {
    await storage.gaps.record({
      team: ctx.user!.team,
      kind: "unanswered",
      text: redact(question).slice(0, 200),
      entryId: null,
      at: clock.now(),
    });
  }
  await sendAnswer(ctx, r, r.script, messageId);
}

pm.command("ask", (ctx) => answerQuestion(ctx, ctx.match.trim(), ctx.msg.message_id));
pm.on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next();
  await answerQuestion(ctx, ctx.msg.text.trim(), ctx.msg.message_id);
});

// more phrasing and related topics (👍/👎 are in feedback.ts)
const cbq = ask.filter(isRegistered);
cbq.callbackQuery(CB_RE.more, async (ctx) => {
  const shown = Number(ctx.match[1]);
  const entry = ctx.deps.coach.entries.get(ctx.match[2]!);
  await ctx.answerCallbackQuery();
  if (!entry) return void (await ctx.reply(ctx.t.expired));
  const lines = morePhrasing(entry, shown, ctx.script, (t) => ctx.deps.coach.guard(t));
  if (!lines.length) return void (await ctx.reply(ctx.t.noMorePhrasing));
  const more = entry.say.length > shown + 2;
  await ctx.reply([ctx.t.morePhrasingTitle, ...lines.map((s) => `「${escapeHtml(s)}」`)].join("\n"), {
    ...html,
    ...(more
      ? {
          reply_markup: {
            inline_keyboard: [[{ text: ctx.t.morePhrasing, callback_data: CB.more(shown + 2, entry.id) }]],
          },
        }
      : {}),
  });
});

cbq.callbackQuery(CB_RE.related, async (ctx) => {
  const { coach } = ctx.deps;
  const entry = coach.entries.get(ctx.match[1]!);
  await ctx.answerCallbackQuery();
  if (!entry) return void (await ctx.reply(ctx.t.expired));
  const r = composeAnswer({
    hits: [{ id: entry.id, kind: "entry", title: entry.title, codes: entry.codes, score: 1 }],
    confident: true,
    entries: coach.entries,
    script: ctx.script,
    guard: (t) => coach.guard(t),
  });
  await sendAnswer(ctx, r, ctx.script);
});
