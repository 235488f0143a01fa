import { GrammyError } from "grammy";
import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { Broadcaster } from "../../src/broadcast/broadcaster.ts";
import { storageOver } from "../../src/storage/index.ts";
import { Kv } from "../../src/storage/kv.ts";
import { collector } from "./helpers.ts";

const LATENCY_MS = 5;
const RETRY_AFTER_S = 2;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date("2026-03-02T02:00:00Z") });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A Telegram that answers after LATENCY_MS, with 429 retry_after for the chats in `floodOn` the
 * first time; every send is logged with the (fake) time it left the bot.
 */
function fakeTelegram(floodOn: Set<number>) {
  const sends: Array<{ chat: number; at: number }> = [];
  /** when the bot learnt of each 429 */
  const windows: number[] = [];
  const send = async (chat: number) => {
    sends.push({ chat, at: Date.now() });
    await new Promise((r) => setTimeout(r, LATENCY_MS));
    if (floodOn.delete(chat)) {
      windows.push(Date.now());
      throw new GrammyError(
        "Too Many Requests",
        {
          ok: false,
          error_code: 429,
          description: "Too Many Requests: retry after 2",
          parameters: { retry_after: RETRY_AFTER_S },
        },
        "sendMessage",
        {},
      );
    }
  };
  return { sends, windows, send };
}

async function deliver(recipients: number[], floodOn: number[], rate: number) {
  const storage = storageOver(new Kv(new Keyv(), "sqlite", async () => undefined));
  for (const id of recipients) await storage.users.put(collector(id, "东区"));
  const tg = fakeTelegram(new Set(floodOn));
  const b = new Broadcaster({
    jobs: storage.jobs,
    users: storage.users,
    send: tg.send,
    rate,
    logger: silentLogger,
  });
  const job = await b.enqueue({ senderId: 1, senderChatId: 1, text: "提示", allowWarn: false, recipients });
  let report: Awaited<ReturnType<Broadcaster["wait"]>> | "pending" = "pending";
  void b.wait(job.id).then((r) => {
    report = r;
  });
  for (let i = 0; i < 10_000 && report === "pending"; i++) await vi.advanceTimersByTimeAsync(10);
  return { ...tg, report };
}

describe("429 retry_after under a fake clock", () => {
  it.each([25, 5, 100])("no send leaves inside a retry_after window (rate %i/s)", async (rate) => {
    const recipients = Array.from({ length: 40 }, (_, i) => 100 + i);
    const { sends, windows, report } = await deliver(recipients, [103, 120], rate);
    expect(report).toMatchObject({ sent: 40, total: 40, failed: 0 });
    expect(windows).toHaveLength(2);
    for (const w of windows) {
      const inside = sends.filter((s) => s.at >= w && s.at < w + RETRY_AFTER_S * 1000);
      expect(inside, `sends inside the window opened at +${w - windows[0]!} ms`).toEqual([]);
    }
    // everyone exactly once, the flooded twice (the 429 and the retry)
    const per = new Map<number, number>();
    for (const s of sends) per.set(s.chat, (per.get(s.chat) ?? 0) + 1);
    expect(per.get(103)).toBe(2);
    expect([...per.entries()].filter(([c]) => c !== 103 && c !== 120).every(([, n]) => n === 1)).toBe(true);
  });
});
