import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

const KNOWN = new Set([
  "start",
  "help",
  "ask",
  "check",
  "quiz",
  "daily",
  "stats",
  "leaderboard",
  "team",
  "tip",
  "gaps",
  "invite",
  "invites",
  "revoke",
  "users",
  "move",
  "role",
  "remove",
  "practice",
  "stop",
  "assign",
]);

/** Last: /help, and a short reply (or silence) for everything no feature took. */
export const unhandled = new Composer<BotContext>();

unhandled.command("help", async (ctx) => {
  await ctx.reply(ctx.t.help(ctx.user!.role), { parse_mode: "HTML" });
});

unhandled.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t.expired }));

unhandled.on("message", async (ctx) => {
  const text = ctx.msg.text ?? "";
  const isPrivate = ctx.chat.type === "private";
  if (text.startsWith("/")) {
    const name = text.slice(1).split(/[\s@]/)[0]!.toLowerCase();
    const mention = /^\/\w+@(\w+)/.exec(text)?.[1];
    if (!isPrivate && mention && mention !== ctx.me.username) return;
    if (KNOWN.has(name)) return void (await ctx.reply(isPrivate ? ctx.t.noPermission : ctx.t.privateOnly));
    if (isPrivate || mention) await ctx.reply(ctx.t.unknownCommand);
    return;
  }
  // groups: stay quiet; private: stickers, photos, voice… get a hint
  if (isPrivate && !ctx.msg.text) await ctx.reply(ctx.t.onlyText);
});
