import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { createWebhookServer } from "../../src/bot/webhook.ts";
import { FakeBotApi } from "./fake-api.ts";
import { createTestBot } from "./helpers.ts";

const SECRET = "webhook-secret-0123456789";
const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
let server: ReturnType<typeof createWebhookServer>;
let base = "";

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api });
  server = createWebhookServer(t.app.bot, { path: "/telegram", secret: SECRET, logger: silentLogger });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.storage.close();
  await api.stop();
});

const update = (chatId: number) => ({
  update_id: 1,
  message: {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: "private", first_name: "陌生人" },
    from: { id: chatId, is_bot: false, first_name: "陌生人" },
    text: "客户说没钱怎么办",
  },
});
const post = (secret: string | undefined, body: unknown) =>
  fetch(`${base}/telegram`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
    },
    body: JSON.stringify(body),
  });

describe("webhook mode", () => {
  it("answers the health check", async () => {
    const r = await fetch(`${base}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it("refuses updates without the right secret token and handles none of them", async () => {
    expect((await post(undefined, update(31))).status).toBe(401);
    expect((await post("wrong-secret-0123456789", update(31))).status).toBe(401);
    expect(api.sent("sendMessage", 31)).toHaveLength(0);
  });

  it("handles an update carrying the secret token", async () => {
    expect((await post(SECRET, update(32))).status).toBe(200);
    const replies = api.sent("sendMessage", 32).map((c) => String(c.payload.text));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("邀请"); // a stranger: refused, nothing from the knowledge base
  });
});
