import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import { SEVERITY_RANK } from "../../compliance/engine.ts";
import type { GuardResult } from "../../compliance/guard.ts";
import { escapeHtml } from "../../text/html.ts";
import { inScript } from "../../text/script.ts";
import type { BotContext } from "../context.ts";
import { isRegistered, isSupervisor } from "../filters/roles.ts";
import { CB, CB_RE } from "../keyboards.ts";
import { LOCALES } from "../locales/index.ts";
import { html } from "../middleware.ts";

/**
 * /tip <text> by a supervisor (admins: /tip all <text>): compliance guard first — blocked → not
 * sent, with reasons and a suggestion; warn → confirm; pass → a durable broadcast job to the team.
 */
export const tip = new Composer<BotContext>();

interface Draft {
  text: string;
  all: boolean;
  senderId: number;
}
const DRAFT_TTL_MS = 3600_000;

const worse = (a: GuardResult, b: GuardResult): GuardResult =>
  SEVERITY_RANK[b.verdict] > SEVERITY_RANK[a.verdict] ? b : a;

/** The message recipients get: header + escaped tip (the guard sees exactly this). */
export const tipMessage = (text: string) => `${LOCALES["zh-CN"].tipHeader}\n\n${escapeHtml(text)}`;

async function recipients(ctx: BotContext, all: boolean): Promise<number[]> {
  const me = ctx.user!;
  const users = await ctx.deps.storage.users.list();
  const target =
    me.role === "admin" && (all || !me.team) ? users : users.filter((u) => me.team && u.team === me.team);
  return target.filter((u) => u.active && u.id !== me.id).map((u) => u.id);
}

async function launch(ctx: BotContext, draft: Draft, allowWarn: boolean) {
  const ids = await recipients(ctx, draft.all);
  if (!ids.length) return void (await ctx.reply(ctx.t.tipNoRecipients));
  const text = tipMessage(draft.text);
  if (allowWarn) ctx.deps.guardian.allowWarnFor(text);
  await ctx.deps.broadcaster.enqueue({
    senderId: draft.senderId,
    senderChatId: ctx.chat!.id,
    text,
    allowWarn,
    recipients: ids,
  });
  await ctx.reply(ctx.t.tipQueued(ids.length));
}

const reasonsOf = (ctx: BotContext, violations: Array<{ category: string; explanation: string }>) =>
  violations.map((v) => {
    const why = ctx.deps.guardian.clean(inScript(v.explanation, ctx.script));
    return `${ctx.t.topic(v.category)}${why ? `：${why}` : ""}`;
  });

tip
  .filter(isRegistered)
  .command("tip")
  .filter(isSupervisor, async (ctx) => {
    let text = ctx.match.trim();
    let all = false;
    if (ctx.user!.role === "admin" && /^all(\s|$)/i.test(text)) {
      all = true;
      text = text.slice(3).trim();
    }
    if (!text) return void (await ctx.reply(ctx.t.tipUsage));
    if (text.length > ctx.deps.config.MAX_INPUT_CHARS)
      return void (await ctx.reply(ctx.t.tooLong(ctx.deps.config.MAX_INPUT_CHARS)));
    const { coach, guardian, storage } = ctx.deps;
    // the message as sent passes the rules; the tip itself, a person's words, is also read by the learned layer
    const g = worse(guardian.check(tipMessage(text)), coach.guard(text, { learned: true }));
    if (g.verdict === "block") {
      const r = coach.check(text);
      const suggestion = r.suggestion ? guardian.clean(r.suggestion) || null : null;
      return void (await ctx.reply(ctx.t.tipBlocked(reasonsOf(ctx, g.violations), suggestion), html));
    }
    const draft: Draft = { text, all, senderId: ctx.user!.id };
    if (g.verdict === "warn") {
      const id = randomBytes(6).toString("base64url");
      await storage.kv.set(`tipdraft:${id}`, draft, DRAFT_TTL_MS);
      return void (await ctx.reply(ctx.t.tipWarn(reasonsOf(ctx, g.violations)), {
        ...html,
        reply_markup: new InlineKeyboard()
          .text(ctx.t.tipConfirm, CB.tipOk(id))
          .text(ctx.t.tipCancel, CB.tipNo(id)),
      }));
    }
    await launch(ctx, draft, false);
  });

tip.filter(isSupervisor).callbackQuery(CB_RE.tip, async (ctx) => {
  const [, action, id] = ctx.match;
  const key = `tipdraft:${id}`;
  const draft = await ctx.deps.storage.kv.get<Draft>(key);
  await ctx.answerCallbackQuery();
  if (!draft || draft.senderId !== ctx.user!.id) return void (await ctx.reply(ctx.t.expired));
  await ctx.deps.storage.kv.delete(key);
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  if (action === "no") return void (await ctx.reply(ctx.t.tipCancelled));
  await launch(ctx, draft, true);
});
