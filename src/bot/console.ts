import { createInterface } from "node:readline";
import type { Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { stripHtml } from "../text/html.ts";
import type { BotDeps } from "./context.ts";
import { createBot } from "./index.ts";

const BOT: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: "催收教练",
  username: "console_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/**
 * The local console: the same bot and handlers, with Bot API calls printed instead of sent.
 * You are the first admin in ADMIN_IDS (or user 1, made admin). Answer a quiz with its number.
 */
export async function runConsoleBot(deps: BotDeps): Promise<void> {
  const me = deps.config.ADMIN_IDS[0] ?? 1;
  const config = { ...deps.config, ADMIN_IDS: [...new Set([...deps.config.ADMIN_IDS, me])] };
  let pendingPoll: { id: string; options: number } | undefined;
  let n = 0;
  const transport: Transformer = async (_prev, method, payload) => {
    const p = payload as Record<string, unknown>;
    const out = (s: string) => process.stdout.write(`${s}\n`);
    if (method === "sendMessage" || method === "editMessageText") {
      out(`\n教练> ${stripHtml(String(p.text))}`);
      const kb = (
        p.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> }
      )?.inline_keyboard;
      if (kb)
        out(
          kb
            .flat()
            .map((b) => `[${b.text}] (/cb ${b.callback_data})`)
            .join("  "),
        );
    } else if (method === "sendPoll") {
      const options = p.options as Array<{ text: string }>;
      out(`\n教练> ❓ ${String(p.question)}`);
      options.forEach((o, i) => {
        out(`  ${i + 1}. ${o.text}`);
      });
      pendingPoll = { id: `console-poll-${++n}`, options: options.length };
      out(`（输入 1–${options.length} 作答）`);
      return {
        ok: true,
        result: { message_id: ++n, date: 0, chat: { id: me, type: "private" }, poll: { id: pendingPoll.id } },
      } as never;
    } else if (method === "answerCallbackQuery" && p.text) out(`教练> ${String(p.text)}`);
    else if (method === "sendChatAction" && p.action === "typing") out("（教练正在输入…）");
    return {
      ok: true,
      result: {
        message_id: ++n,
        date: 0,
        chat: { id: Number(p.chat_id ?? me), type: "private" },
        text: p.text,
      },
    } as never;
  };
  const app = createBot("0:console", { ...deps, config }, { botInfo: BOT, transport, autoRetry: false });
  await app.bot.init();
  const from = { id: me, is_bot: false, first_name: "我", language_code: "zh-hans" };
  let updateId = 1;
  const send = (u: Omit<Update, "update_id">) =>
    app.bot.handleUpdate({ update_id: updateId++, ...u } as Update);
  process.stdout.write(
    "催收教练 · 本地控制台（与 Telegram 机器人同一套功能）。/help 查看命令，/quit 退出。\n",
  );
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "你> " });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    if (pendingPoll && /^\d$/.test(text) && Number(text) >= 1 && Number(text) <= pendingPoll.options) {
      const poll = pendingPoll;
      pendingPoll = undefined;
      await send({
        poll_answer: {
          poll_id: poll.id,
          user: from,
          option_ids: [Number(text) - 1],
          option_persistent_ids: [],
        },
      });
      process.stdout.write("（已作答，/stats 查看成绩）\n");
    } else if (text.startsWith("/cb ")) {
      await send({
        callback_query: {
          id: String(updateId),
          from,
          chat_instance: "console",
          data: text.slice(4),
          message: { message_id: 0, date: 0, chat: { id: me, type: "private", first_name: "我" }, text: "" },
        },
      });
    } else if (text) {
      const cmd = text.startsWith("/") ? text.split(/\s/)[0]!.length : 0;
      await send({
        message: {
          message_id: updateId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: me, type: "private", first_name: "我" },
          from,
          text,
          ...(cmd ? { entities: [{ type: "bot_command", offset: 0, length: cmd }] } : {}),
        },
      });
    }
    rl.prompt();
  }
  rl.close();
  await app.broadcaster.stop();
}
