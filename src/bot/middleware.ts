import type { MiddlewareFn } from "grammy";
import type { Kv } from "../storage/kv.ts";
import { newUser, type User } from "../storage/users.ts";
import type { BotContext, BotServices } from "./context.ts";
import { displayName } from "./display-name.ts";
import { LOCALES, localeFromLanguage, localeFromText, scriptOf } from "./locales/index.ts";

const SEEN_WRITE_MS = 10 * 60_000;

/** First middleware: dependencies, the registered user (admins from config are registered on sight) and locale. */
export function attach(deps: BotServices): MiddlewareFn<BotContext> {
  const admins = new Set(deps.config.ADMIN_IDS);
  return async (ctx, next) => {
    ctx.deps = deps;
    const from = ctx.from ?? ctx.pollAnswer?.user;
    let user: User | undefined;
    if (from && !from.is_bot) {
      const now = deps.clock.now();
      user = await deps.storage.users.get(from.id);
      if (!user && admins.has(from.id)) {
        user = newUser({
          id: from.id,
          role: "admin",
          team: null,
          name: displayName(from),
          locale: localeFromLanguage(from.language_code),
          now,
          dailyTime: deps.config.DAILY_DEFAULT_TIME,
        });
        await deps.storage.users.put(user);
      }
      const text = ctx.message?.text ?? ctx.message?.caption;
      const textLocale = text ? localeFromText(text) : undefined;
      if (
        user &&
        (!user.active ||
          (textLocale && textLocale !== user.locale) ||
          now.getTime() - Date.parse(user.lastSeenAt) > SEEN_WRITE_MS)
      ) {
        user = await deps.storage.users.patch(user.id, (u) => ({
          ...u,
          active: true,
          locale: textLocale ?? u.locale,
          lastSeenAt: now.toISOString(),
        }));
      }
    }
    ctx.user = user;
    ctx.locale =
      user?.locale ??
      localeFromText(ctx.message?.text ?? ctx.message?.caption ?? "") ??
      localeFromLanguage(from?.language_code);
    ctx.script = scriptOf(ctx.locale);
    ctx.t = LOCALES[ctx.locale];
    await next();
  };
}

/**
 * Per-user flood limit on messages (a fixed one-minute window). Over the limit, each message is
 * answered with how long to wait (up to `limitPerMinute` notices a window, then silence, so that a
 * runaway client cannot make the bot flood Telegram in turn). The window lives in the store: one
 * Redis counter shared by every instance (in memory with SQLite).
 */
export function floodLimit(limitPerMinute: number, now: () => number, kv: Kv): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (!id || !ctx.message) return next();
    const t = now();
    const w = await kv.hit(`flood:${id}`, 60_000, t);
    if (w.count <= limitPerMinute) return next();
    if (w.count <= 2 * limitPerMinute && ctx.chat?.type === "private") {
      await ctx.reply(ctx.t.flood(Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000))));
    }
  };
}

/**
 * Messages as the features read them: a media caption (a screenshot with a question, a photo
 * captioned `/check …`) is the message's text, and commands match whatever the case (/CHECK,
 * /Check: phones capitalise the first letter).
 */
export const normaliseMessage: MiddlewareFn<BotContext> = (ctx, next) => {
  const msg = ctx.message;
  if (msg) {
    if (msg.text === undefined && msg.caption !== undefined) {
      msg.text = msg.caption;
      if (msg.caption_entities) msg.entities = msg.caption_entities;
    }
    const e = msg.entities?.[0];
    if (msg.text && e?.type === "bot_command" && e.offset === 0) {
      const [name, at] = msg.text.slice(0, e.length).split("@");
      msg.text = `${name!.toLowerCase()}${at !== undefined ? `@${at}` : ""}${msg.text.slice(e.length)}`;
    }
  }
  return next();
};

/** Strangers get a short refusal and nothing from the knowledge base, in private chats and groups. */
export const strangerGate: MiddlewareFn<BotContext> = async (ctx, next) => {
  if (ctx.user) return next();
  if (ctx.callbackQuery)
    return void (await ctx.answerCallbackQuery({ text: ctx.t.refuse, show_alert: true }));
  if (!ctx.message || !ctx.chat) return; // poll answers, member updates: nothing
  const isCommand = ctx.message.text?.startsWith("/") ?? false;
  if (ctx.chat.type === "private" || isCommand) await ctx.reply(ctx.t.refuse);
};

/** Send Telegram HTML without link previews. */
export const html = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true } };
