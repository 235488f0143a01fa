import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tipMessage } from "../../src/bot/features/tip.ts";
import { loadConfig } from "../../src/config.ts";
import { start } from "../../src/main.ts";
import { createStorage } from "../../src/storage/index.ts";
import { FakeBotApi } from "../bot/fake-api.ts";
import { ADMIN, collector, TOKEN } from "../bot/helpers.ts";
import { REDIS_URL } from "./cluster.ts";
import { deleteNamespace } from "./namespace.ts";

/**
 * What a rolling deploy does to an instance: SIGTERM runs main's stop(). It must answer the
 * updates it is handling, finish the sends it holds, and leave the rest of a tip queued for the
 * instance that replaces it.
 */
const api = new FakeBotApi();
beforeAll(() => api.start());
afterAll(() => api.stop());

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const TIP = tipMessage("今天重点跟进承诺还款的客户。");
const tipsTo = (id: number) => api.sent("sendMessage", id).filter((c) => c.payload.text === TIP);

describe.skipIf(!REDIS_URL)("graceful shutdown of a webhook instance on Redis", () => {
  it("answers updates in flight, finishes the sends in hand and leaves the rest to the next instance", async () => {
    const prefix = `drain-${randomUUID().slice(0, 8)}`;
    const members = Array.from({ length: 30 }, (_, i) => 8100 + i);
    const seed = await createStorage({ dataDir: "unused", redisUrl: REDIS_URL, namespace: prefix });
    for (const id of members) await seed.users.put(collector(id, "西区"));
    await seed.users.put({ ...collector(8000, "西区"), role: "supervisor" });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}/tg`;
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.url,
      ADMIN_IDS: String(ADMIN),
      LOG_LEVEL: "silent",
      REDIS_URL: REDIS_URL!,
      REDIS_PREFIX: prefix,
      BOT_MODE: "webhook",
      WEBHOOK_URL: url,
      WEBHOOK_SECRET: "drain-secret-0123456789",
      PORT: String(port),
      BROADCAST_RATE: "20",
    });
    const first = await start(config);
    const job = await first.app.broadcaster.enqueue({
      senderId: 8000,
      senderChatId: 8000,
      text: TIP,
      allowWarn: false,
      recipients: members,
    });
    // every send now takes 400 ms: some are in flight when SIGTERM comes
    api.latencyMs = 400;
    while (api.calls.filter((c) => c.method === "sendMessage").length < 3)
      await new Promise((r) => setTimeout(r, 10));
    const update = {
      update_id: 990_001,
      message: {
        message_id: 1,
        date: Math.floor(Date.now() / 1000),
        chat: { id: 8001, type: "private", first_name: "u" },
        from: { id: 8001, is_bot: false, first_name: "u", language_code: "zh-hans" },
        text: "/help",
        entities: [{ type: "bot_command", offset: 0, length: 5 }],
      },
    } as unknown as Update;
    const answered = fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": "drain-secret-0123456789",
      },
      body: JSON.stringify(update),
    });
    await new Promise((r) => setTimeout(r, 50));
    await first.stop();

    // the update in flight was answered before the server closed
    expect((await answered).status).toBe(200);
    expect(api.sent("sendMessage", 8001).some((c) => c.payload.text !== TIP)).toBe(true);
    // every send that had started is recorded as sent: none left "in flight" to be written off
    const statuses = await seed.jobs.statuses(job.id, members);
    expect(statuses).not.toContain("inflight");
    const sentBefore = statuses.filter((s) => s === "sent").length;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(30);
    expect(members.filter((id) => tipsTo(id).length).length).toBe(sentBefore);

    // the replacement instance finishes the tip: everyone once, nobody unknown, one report
    api.latencyMs = 0;
    const next = await start({ ...config, PORT: await freePort() } as typeof config);
    const report = await next.app.broadcaster.wait(job.id);
    expect(report).toMatchObject({ sent: 30, unknown: 0, total: 30 });
    for (const id of members) expect(tipsTo(id)).toHaveLength(1);
    await next.stop();
    await seed.close();
    await deleteNamespace(prefix);
  }, 60_000);
});
