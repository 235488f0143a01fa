import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update, UserFromGetMe } from "grammy/types";

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

/**
 * A local fake Telegram Bot API server on 127.0.0.1: records every call, answers like Telegram,
 * serves queued updates to getUpdates, and fails on demand (403 blocked, 429 retry_after).
 */
export class FakeBotApi {
  readonly calls: ApiCall[] = [];
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
    const method = (req.url ?? "").split("/").pop() ?? "";
    const body = Buffer.concat(chunks).toString("utf8");
    const payload = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    const reply = (status: number, data: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(data));
    };
    if (method === "getUpdates") {
      this.calls.push({ method, payload, at: Date.now() });
      return reply(200, { ok: true, result: await this.nextUpdates(payload) });
    }
    const call: ApiCall = { method, payload, at: Date.now() };
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
        return { ...base, text: p.text };
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
