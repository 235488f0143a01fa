import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";
import { byteLength, LIMITS, visibleText } from "../../src/bot/telegram-limits.ts";

export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

export const BOT_INFO: UserFromGetMe = {
  id: 424242,
  is_bot: true,
  first_name: "催收教练",
  username: "collector_coach_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

type Failure = { error_code: number; description: string; parameters?: { retry_after?: number } };

const HTML_TAGS = new Set([
  "b",
  "strong",
  "i",
  "em",
  "u",
  "ins",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "span",
  "tg-spoiler",
  "blockquote",
  "tg-emoji",
]);

/** What Telegram answers 400 to: the checks its Bot API makes on texts, captions and buttons. */
export function telegramRejects(method: string, p: Record<string, unknown>): string | undefined {
  const html = p.parse_mode === "HTML";
  if (typeof p.text === "string" || method === "sendMessage" || method === "editMessageText") {
    if (method === "answerCallbackQuery") {
      if (typeof p.text === "string" && p.text.length > LIMITS.callbackAnswer)
        return "Bad Request: MESSAGE_TOO_LONG";
    } else {
      const text = String(p.text ?? "");
      const bad = html ? badHtml(text) : undefined;
      if (bad) return `Bad Request: can't parse entities: ${bad}`;
      const len = (html ? visibleText(text) : text.trim()).length;
      if (!len) return "Bad Request: message text is empty";
      if (len > LIMITS.text) return "Bad Request: message is too long";
    }
  }
  if (typeof p.caption === "string") {
    const bad = html ? badHtml(p.caption) : undefined;
    if (bad) return `Bad Request: can't parse entities: ${bad}`;
    if ((html ? visibleText(p.caption) : p.caption.trim()).length > LIMITS.caption)
      return "Bad Request: message caption is too long";
  }
  const kb = (p.reply_markup as { inline_keyboard?: Array<Array<Record<string, unknown>>> } | undefined)
    ?.inline_keyboard;
  for (const b of kb?.flat() ?? []) {
    if (typeof b.text !== "string" || !b.text) return "Bad Request: text buttons are unallowed";
    if ("callback_data" in b) {
      const d = b.callback_data;
      if (typeof d !== "string" || byteLength(d) < 1 || byteLength(d) > LIMITS.callbackData)
        return "Bad Request: BUTTON_DATA_INVALID";
    }
  }
  return undefined;
}

/** Unknown or unbalanced tags (Telegram refuses the whole message). */
function badHtml(text: string): string | undefined {
  const stack: string[] = [];
  for (const m of text.matchAll(/<(\/?)([a-z-]+)[^>]*>/gi)) {
    const tag = m[2]!.toLowerCase();
    if (!HTML_TAGS.has(tag)) return `unsupported start tag "${tag}"`;
    if (!m[1]) stack.push(tag);
    else if (stack.pop() !== tag) return `unmatched end tag "${tag}"`;
  }
  if (stack.length) return `unclosed start tag "${stack.at(-1)}"`;
  if (/<(?![a-z/])/i.test(text)) return "unescaped <";
  return undefined;
}

/**
 * A local fake Telegram Bot API server on 127.0.0.1: records every call, answers like Telegram,
 * serves queued updates to getUpdates, and fails on demand (403 blocked, 429 retry_after).
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** calls Telegram would have refused with 400 (too long, bad HTML, bad button data) */
  readonly rejected: Array<ApiCall & { description: string }> = [];
  /** files the bot can download with getFile: file_id → content */
  readonly files = new Map<string, { path: string; content: string | Buffer }>();
  /** chat id → failure for every send to it */
  readonly failAlways = new Map<number, Failure>();
  /** chat id → failures to return once each, in order */
  readonly failOnce = new Map<number, Failure[]>();
  /** delay before answering sendMessage (ms) */
  latencyMs = 0;
  /** hold sendMessage answers for these chats until released */
  private readonly held: Array<() => void> = [];
  holdSends = false;
  private server: Server | undefined;
  private messageId = 1000;
  private pollId = 1;
  private updates: Update[] = [];
  private updateWaiters: Array<() => void> = [];
  private listeners: Array<(c: ApiCall) => void> = [];
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.updateWaiters.splice(0)) w();
    for (const h of this.held.splice(0)) h();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  reset(): void {
    this.calls.length = 0;
    this.rejected.length = 0;
    this.failAlways.clear();
    this.failOnce.clear();
    this.latencyMs = 0;
  }

  releaseHeld(): void {
    this.holdSends = false;
    for (const h of this.held.splice(0)) h();
  }

  onCall(fn: (c: ApiCall) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  pushUpdates(updates: Update[]): void {
    this.updates.push(...updates);
    for (const w of this.updateWaiters.splice(0)) w();
  }

  sent(method = "sendMessage", chatId?: number): ApiCall[] {
    return this.calls.filter(
      (c) => c.method === method && (chatId === undefined || c.payload.chat_id === chatId),
    );
  }

  lastText(chatId: number): string {
    const c = this.sent("sendMessage", chatId).at(-1);
    return String(c?.payload.text ?? "");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const reply = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    const fileMatch = /^\/file\/bot[^/]+\/(.+)$/.exec(req.url ?? "");
    if (fileMatch) {
      const f = [...this.files.values()].find((x) => x.path === decodeURIComponent(fileMatch[1]!));
      res.writeHead(f ? 200 : 404);
      return void res.end(f?.content ?? "");
    }
    const method = (req.url ?? "").split("/").pop() ?? "";
    const payload = await parseBody(req, Buffer.concat(chunks));
    if (method === "getUpdates") return reply(200, { ok: true, result: await this.nextUpdates(payload) });
    const call: ApiCall = { method, payload, at: Date.now() };
    const rejection = telegramRejects(method, payload);
    if (rejection) {
      this.rejected.push({ ...call, description: rejection });
      this.calls.push({ ...call, method: `${method}:rejected` });
      return reply(400, { ok: false, error_code: 400, description: rejection });
    }
    if (method === "getFile") {
      const f = this.files.get(String(payload.file_id));
      if (!f) return reply(400, { ok: false, error_code: 400, description: "Bad Request: invalid file_id" });
      this.calls.push(call);
      return reply(200, {
        ok: true,
        result: {
          file_id: payload.file_id,
          file_unique_id: "u",
          file_size: f.content.length,
          file_path: f.path,
        },
      });
    }
    const chatId = typeof payload.chat_id === "number" ? payload.chat_id : undefined;
    if (chatId !== undefined && method.startsWith("send")) {
      const once = this.failOnce.get(chatId)?.shift();
      const fail = once ?? this.failAlways.get(chatId);
      if (fail) {
        this.calls.push({ ...call, method: `${method}:failed` });
        return reply(fail.error_code, { ok: false, ...fail });
      }
      if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
      if (this.holdSends && method === "sendMessage") await new Promise<void>((r) => this.held.push(r));
    }
    this.calls.push(call);
    for (const l of this.listeners) l(call);
    reply(200, { ok: true, result: this.result(method, payload) });
  }

  private async nextUpdates(payload: Record<string, unknown>): Promise<Update[]> {
    const offset = Number(payload.offset ?? 0);
    this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (!this.updates.length) {
      await new Promise<void>((r) => {
        this.updateWaiters.push(r);
        setTimeout(r, Math.min(Number(payload.timeout ?? 0) * 1000, 200));
      });
    }
    const limit = Number(payload.limit ?? 100);
    return this.updates.filter((u) => u.update_id >= offset).slice(0, limit);
  }

  private result(method: string, p: Record<string, unknown>): unknown {
    const chatId = Number(p.chat_id ?? 0);
    const chat =
      chatId > 0
        ? { id: chatId, type: "private", first_name: "u" }
        : { id: chatId, type: "group", title: "g" };
    const base = { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat, from: BOT_INFO };
    switch (method) {
      case "getMe":
        return BOT_INFO;
      case "sendMessage":
      case "editMessageText":
        return { ...base, text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) };
      case "sendDocument":
        return {
          ...base,
          document: { file_id: "doc", file_unique_id: "doc", file_name: (p.document as Doc)?.name },
          ...(p.caption ? { caption: p.caption } : {}),
        };
      case "sendPoll": {
        const options = (p.options as Array<{ text: string }>).map((o, i) => ({
          persistent_id: String(i),
          text: o.text,
          voter_count: 0,
        }));
        return {
          ...base,
          poll: {
            id: `poll-${this.pollId++}`,
            question: p.question,
            options,
            total_voter_count: 0,
            is_closed: false,
            is_anonymous: p.is_anonymous ?? true,
            type: p.type ?? "regular",
            allows_multiple_answers: false,
            correct_option_ids: p.correct_option_ids,
          },
        };
      }
      default:
        return true;
    }
  }
}

/** An uploaded document as the fake server received it. */
export interface Doc {
  name: string;
  content: string;
}

/** JSON bodies, and multipart bodies (uploads: files become { name, content }). */
async function parseBody(req: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
  if (!body.length) return {};
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) return JSON.parse(body.toString("utf8"));
  // grammY writes `filename=name` unquoted, which strict FormData parsers refuse: parse by hand
  const boundary = /boundary=(.+)$/.exec(type)![1]!;
  const fields = new Map<string, string>();
  const files = new Map<string, Doc>();
  for (const part of body.toString("utf8").split(`--${boundary}`)) {
    const at = part.indexOf("\r\n\r\n");
    if (at < 0) continue;
    const head = part.slice(0, at);
    const value = part.slice(at + 4).replace(/\r\n$/, "");
    const name = /name="([^"]+)"/.exec(head)?.[1];
    const file = /filename="?([^"\r\n;]+)"?/.exec(head)?.[1];
    if (!name) continue;
    if (file) files.set(name, { name: file, content: value });
    else fields.set(name, value);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of fields) {
    const attach = /^attach:\/\/(.+)$/.exec(v);
    if (attach) {
      out[k] = files.get(attach[1]!);
      continue;
    }
    try {
      out[k] = JSON.parse(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}
