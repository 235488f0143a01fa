import { GrammyError, HttpError } from "grammy";
import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { Broadcaster } from "../../src/broadcast/broadcaster.ts";
import { type Storage, storageOver } from "../../src/storage/index.ts";
import { Kv } from "../../src/storage/kv.ts";
import { collector } from "../bot/helpers.ts";

/**
 * Tip delivery pacing and retry windows on a virtual clock: Date is faked and every sleep of the
 * broadcaster advances it, so the send times below are exact and the test takes no real time.
 */
const T0 = Date.parse("2026-03-02T02:00:00Z");

interface Sent {
  uid: number;
  at: number;
  outcome: "ok" | "429" | "403" | "network";
}

const tooMany = (retryAfter: number) =>
  new GrammyError(
    "Call to 'sendMessage' failed! (429: Too Many Requests)",
    {
      ok: false,
      error_code: 429,
      description: "Too Many Requests",
      parameters: { retry_after: retryAfter },
    },
    "sendMessage",
    {},
  );
const blocked = () =>
  new GrammyError(
    "Call to 'sendMessage' failed! (403: Forbidden)",
    { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    "sendMessage",
    {},
  );

/** advance the virtual clock, and let real I/O and timers run (as a real sleep would) */
const virtualSleep = async (ms: number) => {
  vi.setSystemTime(Date.now() + ms);
  await new Promise((r) => setImmediate(r));
};

let storage: Storage;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  storage = storageOver(new Kv(new Keyv(), "sqlite", async () => undefined));
});
afterEach(() => {
  vi.useRealTimers();
});

/** Deliver one tip to `n` recipients (ids 1..n); `fail(uid, attempt)` decides a send's fate. */
async function deliver(
  n: number,
  rate: number,
  fail: (uid: number, attempt: number) => Error | undefined = () => undefined,
  options: { hold?: () => Promise<void> } = {},
) {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  for (const id of ids) await storage.users.put(collector(id, "东区"));
  const log: Sent[] = [];
  const attempts = new Map<number, number>();
  const b = new Broadcaster({
    jobs: storage.jobs,
    users: storage.users,
    rate,
    logger: silentLogger,
    sleep: virtualSleep,
    send: async (uid) => {
      const attempt = (attempts.get(uid) ?? 0) + 1;
      attempts.set(uid, attempt);
      const err = fail(uid, attempt);
      const outcome =
        err === undefined
          ? "ok"
          : err instanceof GrammyError
            ? (String(err.error_code) as "429" | "403")
            : "network";
      log.push({ uid, at: Date.now() - T0, outcome });
      await options.hold?.();
      if (err) throw err;
    },
  });
  const job = await b.enqueue({
    senderId: 99,
    senderChatId: 99,
    text: "提示",
    allowWarn: false,
    recipients: ids,
  });
  const report = await b.wait(job.id);
  return { log, report, ok: log.filter((s) => s.outcome === "ok") };
}

/** the most sends inside any one-second window (less the 1 ms a timer can round) */
const busiestSecond = (times: number[]) =>
  Math.max(...times.map((t0) => times.filter((t) => t >= t0 && t < t0 + 999).length));

describe("tip delivery pacing (virtual clock)", () => {
  it.each([25, 10, 30])(
    "never more than BROADCAST_RATE=%i messages in any second, and no slower",
    async (rate) => {
      const n = rate * 4;
      const { log, report } = await deliver(n, rate);
      expect(report).toMatchObject({ sent: n, failed: 0, inactive: 0, unknown: 0, total: n });
      const times = log.map((s) => s.at);
      expect(busiestSecond(times)).toBe(rate);
      // evenly spaced at 1/rate: the whole team in (n-1)/rate seconds, not later
      const span = times.at(-1)! - times[0]!;
      expect(span).toBeGreaterThanOrEqual(((n - 1) * 1000) / rate - 1);
      expect(span).toBeLessThanOrEqual(((n - 1) * 1000) / rate + 1);
    },
  );

  it("429 retry_after longer than the per-chat spacing: nothing goes out inside the window, the chat is retried as it ends, once", async () => {
    const { log, report, ok } = await deliver(20, 25, (uid, attempt) =>
      uid === 5 && attempt === 1 ? tooMany(3) : undefined,
    );
    expect(report).toMatchObject({ sent: 20, failed: 0, unknown: 0, total: 20 });
    const hit = log.find((s) => s.outcome === "429")!;
    expect(hit.uid).toBe(5);
    // no send to anyone inside the 3 s window
    const inWindow = log.filter((s) => s.at > hit.at && s.at < hit.at + 3000);
    expect(inWindow).toEqual([]);
    // the limited chat gets its tip at the end of the window (not after 1 s, not much later)
    const retry = ok.find((s) => s.uid === 5)!;
    expect(retry.at).toBeGreaterThanOrEqual(hit.at + 3000);
    expect(retry.at).toBeLessThanOrEqual(hit.at + 3000 + 3 * 40); // within three send slots
    // everyone once
    expect(new Set(ok.map((s) => s.uid)).size).toBe(20);
    expect(ok.length).toBe(20);
  });

  it("429 without retry_after waits one second", async () => {
    const noHint = new GrammyError(
      "429",
      { ok: false, error_code: 429, description: "Too Many Requests" },
      "sendMessage",
      {},
    );
    const { log, ok } = await deliver(3, 25, (uid, attempt) =>
      uid === 2 && attempt === 1 ? noHint : undefined,
    );
    const hit = log.find((s) => s.outcome === "429")!;
    const retry = ok.find((s) => s.uid === 2)!;
    expect(retry.at - hit.at).toBeGreaterThanOrEqual(1000);
    expect(retry.at - hit.at).toBeLessThanOrEqual(1000 + 3 * 40);
  });

  it("a network error is retried after the 1 s per-chat spacing, up to three attempts, then counted failed", async () => {
    const { log, report } = await deliver(4, 25, (uid, attempt) => {
      if (uid === 2 && attempt === 1) return new HttpError("socket hang up", new Error("reset"));
      if (uid === 3) return new HttpError("socket hang up", new Error("reset"));
      return undefined;
    });
    expect(report).toMatchObject({ sent: 3, failed: 1, inactive: 0, total: 4 });
    const two = log.filter((s) => s.uid === 2);
    expect(two.map((s) => s.outcome)).toEqual(["network", "ok"]);
    expect(two[1]!.at - two[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(two[1]!.at - two[0]!.at).toBeLessThanOrEqual(1000 + 3 * 40);
    const three = log.filter((s) => s.uid === 3);
    expect(three).toHaveLength(3);
    for (let i = 1; i < three.length; i++)
      expect(three[i]!.at - three[i - 1]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("403 marks the user inactive, is not retried, and the rest still get the tip", async () => {
    const { log, report } = await deliver(5, 25, (uid) => (uid === 4 ? blocked() : undefined));
    expect(report).toMatchObject({ sent: 4, inactive: 1, failed: 0, total: 5 });
    expect(log.filter((s) => s.uid === 4)).toHaveLength(1);
    expect((await storage.users.get(4))?.active).toBe(false);
    expect((await storage.users.get(3))?.active).toBe(true);
  });

  it("any other Telegram refusal (400) counts the recipient as failed and leaves them active", async () => {
    const badRequest = new GrammyError(
      "400",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      {},
    );
    const { log, report } = await deliver(3, 25, (uid) => (uid === 2 ? badRequest : undefined));
    expect(report).toMatchObject({ sent: 2, failed: 1, inactive: 0, total: 3 });
    expect(log.filter((s) => s.uid === 2)).toHaveLength(1);
    expect((await storage.users.get(2))?.active).toBe(true);
  });

  it("a slow Telegram: at most max(4, rate/2) sends in flight, and answers that come late still count as sent", async () => {
    let inFlight = 0;
    let most = 0;
    const { report } = await deliver(40, 25, undefined, {
      hold: async () => {
        most = Math.max(most, ++inFlight);
        // answers take real time to come back, longer than the loop needs to dispatch
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
      },
    });
    expect(most).toBe(13);
    expect(report).toMatchObject({ sent: 40, failed: 0, unknown: 0, total: 40 });
  });

  it("resuming a job sends only to those not served, and a second resume does not start it twice", async () => {
    for (const id of [1, 2, 3, 4, 5]) await storage.users.put(collector(id, "东区"));
    await storage.jobs.create({
      id: "j",
      senderId: 99,
      senderChatId: 99,
      text: "提示",
      allowWarn: false,
      recipients: [1, 2, 3, 4, 5],
      createdAt: new Date().toISOString(),
      status: "running",
    });
    // sent, inflight when the process died, known undelivered (retry), never tried (4, 5)
    await storage.jobs.mark("j", [
      [1, "sent"],
      [2, "inflight"],
      [3, "retry"],
    ]);
    const sent: number[] = [];
    const b = new Broadcaster({
      jobs: storage.jobs,
      users: storage.users,
      rate: 25,
      logger: silentLogger,
      sleep: virtualSleep,
      send: async (uid) => {
        sent.push(uid);
      },
    });
    await b.resumeAll();
    await b.resumeAll();
    const report = await b.wait("j");
    expect(sent.sort()).toEqual([3, 4, 5]);
    expect(report).toMatchObject({ sent: 4, unknown: 1, total: 5 });
    expect(await storage.jobs.active()).toEqual([]);
  });
});
