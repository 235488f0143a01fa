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
      const text = ctx.message?.text;
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
      user?.locale ?? localeFromText(ctx.message?.text ?? "") ?? localeFromLanguage(from?.language_code);
    ctx.script = scriptOf(ctx.locale);
    ctx.t = LOCALES[ctx.locale];
    await next();
  };
}

/**
 * Per-user flood limit on messages: one notice, then silence until the minute is over. The count
 * lives in the store (a Redis counter shared by every instance; in memory with SQLite).
 */
export function floodLimit(limitPerMinute: number, now: () => number, kv: Kv): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (!id || !ctx.message) return next();
    const minute = Math.floor(now() / 60_000);
    const count = await kv.hit(`flood:${id}:${minute}`, 120_000);
    if (count <= limitPerMinute) return next();
    if (count === limitPerMinute + 1 && ctx.chat?.type === "private") await ctx.reply(ctx.t.flood);
  };
}

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
