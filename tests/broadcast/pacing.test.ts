import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { Broadcaster } from "../../src/broadcast/broadcaster.ts";
import { collector } from "../bot/helpers.ts";
import {
  badRequest,
  blocked,
  deliver as deliverTo,
  recordingLogger,
  tooMany,
  useVirtualClock,
  virtualSleep,
} from "./helpers.ts";

/**
 * Tip delivery pacing and retry windows on a virtual clock: Date is faked and every sleep of the
 * broadcaster advances it, so the send times below are exact and the test takes no real time.
 */
const store = useVirtualClock();
const deliver = (...args: Parameters<typeof deliverTo> extends [unknown, ...infer R] ? R : never) =>
  deliverTo(store(), ...args);

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
    expect((await store().users.get(4))?.active).toBe(false);
    expect((await store().users.get(3))?.active).toBe(true);
  });

  it("any other Telegram refusal (400) counts the recipient as failed and leaves them active", async () => {
    const { log, report } = await deliver(3, 25, (uid) => (uid === 2 ? badRequest() : undefined));
    expect(report).toMatchObject({ sent: 2, failed: 1, inactive: 0, total: 3 });
    expect(log.filter((s) => s.uid === 2)).toHaveLength(1);
    expect((await store().users.get(2))?.active).toBe(true);
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
    for (const id of [1, 2, 3, 4, 5]) await store().users.put(collector(id, "东区"));
    await store().jobs.create({
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
    await store().jobs.mark("j", [
      [1, "sent"],
      [2, "inflight"],
      [3, "retry"],
    ]);
    const sent: number[] = [];
    const b = new Broadcaster({
      jobs: store().jobs,
      users: store().users,
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
    expect(await store().jobs.active()).toEqual([]);
  });
});

describe("tip delivery timing details a team notices (virtual clock)", () => {
  it("the first message goes out at once, not one slot later", async () => {
    const { log } = await deliver(3, 25);
    expect(log.map((s) => s.at)).toEqual([0, 40, 80]);
  });

  it.each([
    [100, 5],
    [10, 1],
  ])(
    "after a one-second stall of the shared budget, at most max(1, rate/20) late messages catch up at once (rate %i)",
    async (rate, catchUp) => {
      let slots = 0;
      const { log, report } = await deliver(30, rate, undefined, {
        // the 10th send waits a second for the budget all instances share
        sharedSlot: async () => {
          if (++slots === 10) await virtualSleep(1000);
        },
      });
      expect(report).toMatchObject({ sent: 30, total: 30 });
      const stallEnd = log[9]!.at;
      // the stalled message, the one whose slot has come, and the catch-up allowance
      expect(log.filter((s) => s.at === stallEnd)).toHaveLength(2 + catchUp);
      // then back to the rate
      const after = log.filter((s) => s.at > stallEnd).map((s) => s.at);
      expect(after[0]! - stallEnd).toBe(1000 / rate);
      expect(busiestSecond(after)).toBeLessThanOrEqual(rate);
    },
  );

  it("every send waits for the budget shared by all instances", async () => {
    const { log } = await deliver(4, 25, undefined, { sharedSlot: () => virtualSleep(200) });
    const gaps = log.slice(1).map((s, i) => s.at - log[i]!.at);
    expect(gaps).toEqual([200, 200, 200]);
  });

  it("a chat listed twice gets its second message no sooner than one second after the first", async () => {
    const { log, report } = await deliver(0, 25, undefined, { recipients: [1, 2, 1] });
    const toOne = log.filter((s) => s.uid === 1).map((s) => s.at);
    expect(toOne).toHaveLength(2);
    expect(toOne[1]! - toOne[0]!).toBeGreaterThanOrEqual(1000);
    expect(toOne[1]! - toOne[0]!).toBeLessThanOrEqual(1000 + 40);
    expect(report).toMatchObject({ sent: 3, failed: 0 });
  });

  it("429 with retry_after 0: the others go on at the rate, the chat is retried after its one-second spacing", async () => {
    const { log, ok } = await deliver(3, 25, (uid, attempt) =>
      uid === 2 && attempt === 1 ? tooMany(0) : undefined,
    );
    expect(ok.find((s) => s.uid === 3)!.at).toBe(80);
    const hit = log.find((s) => s.outcome === "429")!;
    const wait = ok.find((s) => s.uid === 2)!.at - hit.at;
    expect(wait).toBeGreaterThanOrEqual(1000);
    expect(wait).toBeLessThanOrEqual(1000 + 40);
  });

  it("maxAttempts sets how often a network error is retried", async () => {
    const { log, report } = await deliver(
      2,
      25,
      (uid) => (uid === 1 ? new HttpError("socket hang up", new Error("reset")) : undefined),
      { maxAttempts: 5 },
    );
    expect(log.filter((s) => s.uid === 1)).toHaveLength(5);
    expect(report).toMatchObject({ sent: 1, failed: 1 });
  });

  it("operators see each 429, retry and failure in the log, and the job's report at the end", async () => {
    const logger = recordingLogger();
    await deliver(
      4,
      25,
      (uid, attempt) =>
        uid === 1 && attempt === 1
          ? tooMany(2)
          : uid === 2 && attempt === 1
            ? new HttpError("socket hang up", new Error("reset"))
            : uid === 3
              ? badRequest()
              : undefined,
      { logger },
    );
    const line = (re: RegExp) => logger.lines.find((l) => re.test(l.msg));
    expect(line(/429/)).toMatchObject({ level: "warn", ctx: { retry_after: 2 } });
    expect(line(/retry/)).toMatchObject({ level: "warn", ctx: { err: "socket hang up" } });
    expect(line(/failed/)).toMatchObject({
      level: "warn",
      ctx: { err: expect.stringContaining("chat not found") },
    });
    expect(line(/running/)).toMatchObject({ level: "info", ctx: { pending: 4, total: 4 } });
    expect(line(/done/)).toMatchObject({ level: "info", ctx: { sent: 3, failed: 1, total: 4 } });
  });
});
