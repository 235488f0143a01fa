import { randomUUID } from "node:crypto";
import { HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { DeliveryQueue } from "../../src/broadcast/delivery-queue.ts";
import { DailyPush } from "../../src/scheduler/daily.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import type { RedisKv } from "../../src/storage/redis-kv.ts";
import type { User } from "../../src/storage/users.ts";
import { badRequest, blocked, recordingLogger, tooMany, until } from "../broadcast/helpers.ts";
import { deleteNamespace } from "../multi/namespace.ts";
import { NINE, subscriber, ZONE } from "./helpers.ts";

/**
 * Daily pushes on the shared delivery queue (several instances over one Redis): each tick queues
 * one job per due subscriber, the queue's workers send them. What a collector notices is getting
 * the day's quiz once, not twice, and not at all once they turned pushes off; what an operator
 * notices is what is logged, what is retried, how a 429 holds every send, and that all instances
 * share one job scheduler. Every test has a namespace of its own on REDIS_URL.
 */
const REDIS_URL = process.env.REDIS_URL;

const TODAY = "2026-03-02";
const jobId = (uid: number) => `daily:${TODAY}:${uid}`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Attempt {
  uid: number;
  at: number;
}

/**
 * One instance: its store, its delivery queue and its DailyPush, in `namespace` (a fresh one
 * unless given, so a second call with the first one's namespace is another instance of the same
 * cluster). `fail(uid, attempt)` decides what each push attempt throws (nothing: it goes out).
 */
async function instance(
  options: {
    namespace?: string;
    fail?: (uid: number, attempt: number) => Error | undefined;
    /** runs in each push attempt before it goes out or fails (a slow send) */
    hold?: (uid: number) => Promise<void>;
    attempts?: number;
  } = {},
) {
  const namespace = options.namespace ?? `dq-daily-${randomUUID()}`;
  const storage: Storage = await createStorage({ dataDir: "unused", redisUrl: REDIS_URL, namespace });
  const kv = storage.kv as RedisKv;
  const logger = recordingLogger();
  const queue = new DeliveryQueue({
    connect: (role) => kv.jobConnection(role),
    rate: 100,
    logger,
    ...(options.attempts ? { attempts: options.attempts } : {}),
  });
  /** every push attempt, failed or not */
  const attempts: Attempt[] = [];
  /** the pushes that went out */
  const pushed: number[] = [];
  const daily = new DailyPush({
    users: storage.users,
    clock: { now: () => NINE },
    timeZone: ZONE,
    logger,
    rate: 100,
    queue,
    push: async (u) => {
      await options.hold?.(u.id);
      attempts.push({ uid: u.id, at: Date.now() });
      const err = options.fail?.(u.id, attempts.filter((a) => a.uid === u.id).length);
      if (err) throw err;
      pushed.push(u.id);
      return true;
    },
  });
  cleanups.push(async () => {
    await daily.stop();
    await queue.close(100);
    await storage.close();
    if (!options.namespace) await deleteNamespace(namespace);
  });
  return { namespace, storage, queue, daily, logger, attempts, pushed };
}

type Instance = Awaited<ReturnType<typeof instance>>;

const subscribe = async (i: Instance, ...users: User[]) => {
  for (const u of users) await i.storage.users.put(u);
};

/** the ids of the push jobs on the queue, in any state */
const queuedPushes = async (i: Instance) =>
  (await i.queue.queue.getJobs(["wait", "active", "delayed", "prioritized", "completed", "failed"]))
    .filter((j) => j.name === "daily")
    .map((j) => j.id)
    .sort();

describe.skipIf(!REDIS_URL)("daily pushes on the shared delivery queue", () => {
  it("queues one push per due subscriber, once however many ticks and instances, and sends each once", async () => {
    const a = await instance();
    const b = await instance({ namespace: a.namespace });
    await subscribe(a, subscriber(1), subscriber(2, "08:30"), subscriber(3, "10:00"));

    expect(await a.daily.tick()).toBe(2);
    expect(await queuedPushes(a)).toEqual([jobId(1), jobId(2)]);
    // the same minute again, here and on the other instance: the same two jobs, nothing new
    await a.daily.tick();
    await b.daily.tick();
    expect(await queuedPushes(a)).toEqual([jobId(1), jobId(2)]);
    expect(await a.queue.depth()).toBe(2);
    expect((await a.queue.queue.getJob(jobId(1)))?.data).toEqual({ uid: 1, date: TODAY });

    // both instances work the queue
    a.queue.start();
    b.queue.start();
    await a.queue.idle(20, 10_000);
    expect([...a.pushed, ...b.pushed].sort()).toEqual([1, 2]);
    expect([...a.attempts, ...b.attempts]).toHaveLength(2);
    expect((await a.storage.users.get(1))?.daily.lastPushDate).toBe(TODAY);
    expect((await a.storage.users.get(2))?.daily.lastPushDate).toBe(TODAY);
    expect((await a.storage.users.get(3))?.daily.lastPushDate).toBeUndefined();
    // the day is recorded: a later tick that day has nobody left to push
    expect(await a.daily.tick()).toBe(0);
    expect(a.logger.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  it("someone who turned pushes off, left or was removed after the tick gets nothing", async () => {
    const a = await instance();
    await subscribe(a, subscriber(1), subscriber(2), subscriber(3), subscriber(4));
    expect(await a.daily.tick()).toBe(4);
    // before the jobs run: /daily off, blocked the bot (marked inactive), removed by an admin
    await a.storage.users.patch(1, (u) => ({ ...u, daily: { ...u.daily, enabled: false } }));
    await a.storage.users.patch(2, (u) => ({ ...u, active: false }));
    await a.storage.users.remove(3);
    a.queue.start();
    await a.queue.idle(20, 10_000);
    expect(a.attempts.map((x) => x.uid)).toEqual([4]);
    expect(a.pushed).toEqual([4]);
    expect(a.logger.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  it("a push Telegram refuses (blocked, chat not found) is logged, not retried, and the day stays taken", async () => {
    const refusals: Record<number, () => Error> = { 1: blocked, 2: badRequest };
    // two attempts each: a refusal retried would show up as a second attempt a second later
    const a = await instance({ attempts: 2, fail: (uid) => refusals[uid]?.() });
    await subscribe(a, subscriber(1), subscriber(2), subscriber(3));
    await a.daily.tick();
    a.queue.start();
    await a.queue.idle(20, 10_000);
    expect(a.pushed).toEqual([3]);
    expect(a.attempts.map((x) => x.uid).sort()).toEqual([1, 2, 3]);
    const failed = a.logger.lines.filter((l) => l.msg === "daily push failed");
    expect(failed).toEqual(
      expect.arrayContaining([
        { level: "warn", msg: "daily push failed", ctx: { user: 1, err: blocked().message } },
        { level: "warn", msg: "daily push failed", ctx: { user: 2, err: badRequest().message } },
      ]),
    );
    expect(failed).toHaveLength(2);
    // done with, not failed: the queue logs no failure and keeps no retry
    for (const uid of [1, 2]) expect(await a.queue.queue.getJobState(jobId(uid))).toBe("completed");
    expect(a.logger.lines.filter((l) => l.msg === "delivery job failed")).toEqual([]);
    // no instance can push them again today
    for (const uid of [1, 2]) expect(await a.storage.users.claimDaily(uid, TODAY)).toBe(false);
    expect(await a.daily.tick()).toBe(0);
  });

  it("a 429 gives the day back, holds every send for retry_after, then the push goes out once", async () => {
    const a = await instance({
      fail: (uid, attempt) => (uid === 1 && attempt === 1 ? tooMany(1) : undefined),
    });
    await subscribe(a, subscriber(1));
    await a.daily.tick();
    a.queue.start();
    await until(() => a.attempts.length === 1);
    const refusedAt = a.attempts[0]!.at;
    // the whole queue is held (as every instance sees it) for about retry_after
    await until(async () => (await a.queue.queue.getRateLimitTtl()) > 100);
    expect(await a.queue.queue.getRateLimitTtl()).toBeLessThanOrEqual(1000);
    // someone else comes due during the pause: their push waits for the window too
    await subscribe(a, subscriber(2));
    expect(await a.daily.tick()).toBe(1);
    await until(() => a.pushed.length === 2, 10_000);
    await a.queue.idle(20, 10_000);

    expect(a.pushed.sort()).toEqual([1, 2]);
    expect(a.attempts.map((x) => x.uid).sort()).toEqual([1, 1, 2]);
    for (const x of a.attempts.slice(1)) {
      expect(x.at - refusedAt).toBeGreaterThanOrEqual(900);
      expect(x.at - refusedAt).toBeLessThan(8000);
    }
    // waiting out a 429 is not a failed attempt
    expect(a.logger.lines.filter((l) => l.msg === "delivery job failed")).toEqual([]);
    expect((await a.queue.queue.getJob(jobId(1)))?.attemptsMade).toBe(1);
    expect((await a.storage.users.get(1))?.daily.lastPushDate).toBe(TODAY);
  });

  it("a push already on its way when a 429 comes waits out retry_after too", async () => {
    let inHand = false;
    const a = await instance({
      fail: (uid, attempt) => (uid === 1 && attempt === 1 ? tooMany(1) : undefined),
      // the 429 comes while the push to 2 has started (its day claimed) and is not yet sent
      hold: (uid) => (uid === 1 ? until(() => inHand) : Promise.resolve()),
    });
    await subscribe(a, subscriber(1), subscriber(2));
    const claim = a.storage.users.claimDaily.bind(a.storage.users);
    a.storage.users.claimDaily = async (id, date) => {
      if (id === 2) {
        inHand = true;
        await until(async () => (await a.queue.queue.getRateLimitTtl()) > 100);
      }
      return claim(id, date);
    };
    await a.daily.tick();
    a.queue.start();
    await until(() => a.pushed.length === 2, 10_000);
    const refusedAt = a.attempts.find((x) => x.uid === 1)!.at;
    const to2 = a.attempts.filter((x) => x.uid === 2);
    expect(to2).toHaveLength(1);
    expect(to2[0]!.at - refusedAt).toBeGreaterThanOrEqual(900);
    expect(to2[0]!.at - refusedAt).toBeLessThan(8000);
  });

  it("a network error gives the day back and the push is retried, and goes out once", async () => {
    const lost = () => new HttpError("Network request for 'sendPoll' failed!", new Error("ECONNRESET"));
    const a = await instance({ fail: (uid, attempt) => (uid === 1 && attempt === 1 ? lost() : undefined) });
    await subscribe(a, subscriber(1), subscriber(2));
    await a.daily.tick();
    a.queue.start();
    await until(() => a.pushed.length === 2, 10_000);
    await a.queue.idle(20, 10_000);

    expect(a.pushed.sort()).toEqual([1, 2]);
    expect(a.attempts.map((x) => x.uid).sort()).toEqual([1, 1, 2]);
    // the failed attempt is the queue's to log and retry (after its backoff), not a lost push
    expect(a.logger.lines.filter((l) => l.msg === "daily push failed")).toEqual([]);
    expect(a.logger.lines.filter((l) => l.msg === "delivery job failed")).toEqual([
      {
        level: "warn",
        msg: "delivery job failed",
        ctx: { job: jobId(1), name: "daily", err: "Network request for 'sendPoll' failed!" },
      },
    ]);
    expect(await a.queue.queue.getJobState(jobId(1))).toBe("completed");
    expect(await a.storage.users.claimDaily(1, TODAY)).toBe(false);
  });

  it("start registers one job scheduler for every instance, in the team's zone, and works the queue", async () => {
    const a = await instance();
    const b = await instance({ namespace: a.namespace });
    await subscribe(a, subscriber(1), subscriber(2));
    await Promise.all([a.daily.start(), b.daily.start()]);

    const schedulers = await a.queue.queue.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: "daily-push",
      name: "daily-tick",
      pattern: "0 * * * * *",
      tz: ZONE,
    });
    expect((await a.queue.queue.getDelayed()).filter((j) => j.name === "daily-tick")).toHaveLength(1);

    // a tick of the scheduler, taken by either instance, queues the pushes and they go out, once
    await a.queue.add([{ name: "daily-tick", data: { uid: 0 }, jobId: "tick-now" }]);
    await until(() => a.pushed.length + b.pushed.length === 2, 10_000);
    await a.queue.idle(20, 10_000);
    expect([...a.pushed, ...b.pushed].sort()).toEqual([1, 2]);
    expect(await queuedPushes(a)).toEqual([jobId(1), jobId(2)]);
  });
});
