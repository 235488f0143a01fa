import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../context.ts";

/**
 * Groups get nothing private: no invite links, rosters, personal stats, checks or answers. The bot
 * says so in a short note with a button to a private chat — when it is added to a group, and when
 * someone sends it a command there (at most once a minute per group, Telegram allows 20/min).
 * Everything else in a group is ignored. Placed before every other feature.
 */
export const group = new Composer<BotContext>();
const inGroup = group.chatType(["group", "supergroup", "channel"]);
const NOTE_SPACING_MS = 60_000;
const lastNote = new WeakMap<object, Map<number, number>>();

async function note(ctx: BotContext): Promise<void> {
  let perChat = lastNote.get(ctx.deps);
  if (!perChat) {
    perChat = new Map();
    lastNote.set(ctx.deps, perChat);
  }
  const now = ctx.deps.clock.now().getTime();
  const chatId = ctx.chat!.id;
  if (now - (perChat.get(chatId) ?? -Infinity) < NOTE_SPACING_MS) return;
  perChat.set(chatId, now);
  await ctx.reply(ctx.t.groupNote(ctx.me.username), {
    reply_markup: new InlineKeyboard().url(ctx.t.openPrivateChat, `https://t.me/${ctx.me.username}`),
  });
}

inGroup.on("my_chat_member", async (ctx) => {
  const { old_chat_member: before, new_chat_member: after } = ctx.myChatMember;
  const joined =
    (before.status === "left" || before.status === "kicked") &&
    (after.status === "member" || after.status === "administrator");
  if (joined && ctx.chat.type !== "channel") await note(ctx);
});

inGroup.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t.privateOnly, show_alert: true }));

inGroup.on("message", async (ctx) => {
  const e = ctx.msg.entities?.[0];
  if (e?.type !== "bot_command" || e.offset !== 0) return; // chatter, photos, joins: nothing
  const text = ctx.msg.text ?? "";
  const mention = /^\/\w+@(\w+)/.exec(text)?.[1];
  if (mention && mention.toLowerCase() !== ctx.me.username.toLowerCase()) return; // another bot's command
  await note(ctx);
});

// anything else from a group (edits, channel posts) stops here
inGroup.use(() => undefined);
