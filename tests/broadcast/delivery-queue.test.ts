import { randomUUID } from "node:crypto";
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import {
  type DeliveryData,
  DeliveryQueue,
  type DeliveryQueueOptions,
} from "../../src/broadcast/delivery-queue.ts";
import { createStorage } from "../../src/storage/index.ts";
import type { RedisKv } from "../../src/storage/redis-kv.ts";
import { deleteNamespace } from "../multi/namespace.ts";
import { recordingLogger, sleep, until } from "./helpers.ts";

/**
 * The shared delivery queue on its own, with plain handlers (no bot, no Telegram): what an operator
 * notices of it is whether every job runs once, how fast, in what spacing, and what it logs.
 */
const REDIS_URL = process.env.REDIS_URL;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A queue in a fresh namespace; every connection it opens is kept, by role, to look at. */
async function newQueue(options: Partial<Omit<DeliveryQueueOptions, "connect" | "logger">> = {}) {
  const namespace = `dq-${randomUUID()}`;
  const storage = await createStorage({ dataDir: "unused", redisUrl: REDIS_URL, namespace });
  const kv = storage.kv as RedisKv;
  const logger = recordingLogger();
  const connections: Array<{ role: "worker" | "producer"; connection: Redis }> = [];
  const q = new DeliveryQueue({
    connect: (role) => {
      const c = kv.jobConnection(role);
      connections.push({ role, connection: c.connection });
      return c;
    },
    rate: 100,
    logger,
    ...options,
  });
  cleanups.push(async () => {
    await q.close(100);
    await storage.close();
    await deleteNamespace(namespace);
  });
  return { q, logger, connections, kv };
}

const jobs = (name: string, uids: number[], tag = name) =>
  uids.map((uid) => ({ name, data: { uid }, jobId: `${tag}-${uid}` }));

/** a handler that records when each job started, and for whom */
function recorder() {
  const runs: Array<{ uid: number; id: string; at: number }> = [];
  const run = async (job: Job<DeliveryData>) => {
    runs.push({ uid: job.data.uid, id: job.id!, at: Date.now() });
  };
  return { runs, run };
}

describe.skipIf(!REDIS_URL)("delivery queue", () => {
  it("queues 1,001 jobs once each, in batches, and a job id added twice only once", async () => {
    const { q } = await newQueue();
    const uids = Array.from({ length: 1001 }, (_, i) => i + 1);
    await q.add(jobs("tip", uids));
    expect(await q.depth()).toBe(1001);
    // the same recipients again (a resumed job) and one new one
    await q.add(jobs("tip", [1, 500, 501, 1001, 1002]));
    expect(await q.depth()).toBe(1002);
    expect(await q.queue.getWaitingCount()).toBe(1002);
    const last = await q.queue.getJob("tip-1001");
    expect(last?.name).toBe("tip");
    expect(last?.data).toEqual({ uid: 1001 });
  });

  it("keeps a job's own options (a delay, a priority) and the queue's retry and retention policy", async () => {
    const { q } = await newQueue();
    await q.add([
      { name: "tip", data: { uid: 1 }, jobId: "later", opts: { delay: 60_000 } },
      { name: "tip", data: { uid: 2 }, jobId: "first", opts: { priority: 1 } },
    ]);
    expect(await q.queue.getJobState("later")).toBe("delayed");
    expect(await q.queue.getJobState("first")).toBe("prioritized");
    // ten attempts, 1 s doubling (about 8 minutes of outage), the last 1000 done / 5000 failed kept
    expect((await q.queue.getJob("later"))?.opts).toMatchObject({
      attempts: 10,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  });

  it("counts waiting, delayed and prioritized jobs in the depth, not a job scheduler's next tick", async () => {
    const { q } = await newQueue();
    await q.queue.upsertJobScheduler("daily", { every: 60_000 }, { name: "daily", data: { uid: 0 } });
    expect(await q.depth()).toBe(0);
    await q.add([
      { name: "tip", data: { uid: 1 }, jobId: "a" },
      { name: "tip", data: { uid: 2 }, jobId: "b", opts: { delay: 60_000 } },
      { name: "tip", data: { uid: 3 }, jobId: "c", opts: { priority: 2 } },
    ]);
    expect(await q.depth()).toBe(3);
  });

  it("counts a job being sent in the depth, and idle() resolves once it is done", async () => {
    const { q } = await newQueue();
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started = false;
    let finished = false;
    q.handle("tip", async () => {
      started = true;
      await held;
      finished = true;
    });
    q.start();
    await q.add(jobs("tip", [1]));
    await until(() => started);
    expect(await q.depth()).toBe(1);
    const idle = q.idle(10, 5000);
    await sleep(150);
    release();
    await idle;
    expect(finished).toBe(true);
    expect(await q.depth()).toBe(0);
  });

  it("idle() gives up with 'did not drain' after its timeout when no worker runs", async () => {
    const { q } = await newQueue();
    await q.add(jobs("tip", [1]));
    const t0 = Date.now();
    await expect(q.idle(10, 300)).rejects.toThrow("delivery queue did not drain");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    expect(Date.now() - t0).toBeLessThan(3000);
    // and resolves at once on an empty queue
    const { q: empty } = await newQueue();
    await empty.idle(10, 0);
  });

  it("starts one worker however often start() is called, and each job runs once", async () => {
    const { q, connections } = await newQueue();
    const r = recorder();
    q.handle("tip", r.run);
    q.start();
    q.start();
    await q.add(jobs("tip", [1, 2, 3]));
    await q.idle(10, 5000);
    await sleep(100);
    expect(connections.filter((c) => c.role === "worker")).toHaveLength(1);
    expect(r.runs.map((x) => x.uid).sort()).toEqual([1, 2, 3]);
  });

  it("fails a job nobody handles, and logs it", async () => {
    const { q, logger } = await newQueue({ attempts: 1 });
    q.start();
    await q.add(jobs("mystery", [7]));
    await until(async () => (await q.queue.getJobState("mystery-7")) === "failed");
    expect((await q.queue.getJob("mystery-7"))?.failedReason).toBe("no handler for delivery job mystery");
    await until(() => logger.lines.some((l) => l.msg === "delivery job failed"));
    expect(logger.lines.find((l) => l.msg === "delivery job failed")?.ctx).toEqual({
      job: "mystery-7",
      name: "mystery",
      err: "no handler for delivery job mystery",
    });
  });

  it("spaces two messages to one chat by a second, without holding back the other chats", async () => {
    const { q, logger } = await newQueue();
    const r = recorder();
    q.handle("tip", r.run);
    let slots = 0;
    const chatSlot = q.chatSlot.bind(q);
    q.chatSlot = (uid) => {
      slots++;
      return chatSlot(uid);
    };
    q.start();
    await q.add([...jobs("tip", [1, 2, 3], "first"), ...jobs("tip", [1], "second")]);
    await q.idle(10, 10_000);
    await until(() => r.runs.length === 4);
    const to1 = r.runs.filter((x) => x.uid === 1).map((x) => x.at);
    expect(to1).toHaveLength(2);
    // a second apart on Redis' clock; seen here, a late reply to the first may shorten it a little
    expect(Math.abs(to1[1]! - to1[0]!)).toBeGreaterThanOrEqual(800);
    const firstAt = Math.min(...r.runs.map((x) => x.at));
    for (const uid of [2, 3]) expect(r.runs.find((x) => x.uid === uid)!.at - firstAt).toBeLessThan(600);
    // the held job waits out its second in the delayed set, not by asking again and again
    expect(slots).toBeLessThanOrEqual(6);
    expect(logger.lines.filter((l) => l.level !== "info")).toEqual([]);
    // the wait did not use up an attempt
    const second = await q.queue.getJob("second-1");
    expect(second?.attemptsMade).toBe(1);
  });

  it("does not space jobs whose handler says they are not per chat", async () => {
    const { q } = await newQueue();
    const r = recorder();
    q.handle("daily", r.run, { perChat: false });
    q.start();
    await q.add(jobs("daily", [5], "a").concat(jobs("daily", [5], "b")));
    await until(() => r.runs.length === 2);
    expect(Math.abs(r.runs[1]!.at - r.runs[0]!.at)).toBeLessThan(600);
  });

  it("starts jobs at most `rate` a second, with at least four in hand at once", async () => {
    // 5 a second: one start each 200 ms; each job holds until all four have started
    const { q } = await newQueue({ rate: 5 });
    const r = recorder();
    q.handle(
      "tip",
      async (job) => {
        await r.run(job);
        await until(() => r.runs.length >= 4, 3000).catch(() => undefined);
      },
      { perChat: false },
    );
    q.start();
    const t0 = Date.now();
    await q.add(jobs("tip", [1, 2, 3, 4]));
    await until(() => r.runs.length === 4, 6000);
    // the fourth starts three spacings after the first at the earliest (measured from before the
    // adding, see the send slots below), and does not wait for a job in hand to finish
    const last = Math.max(...r.runs.map((x) => x.at));
    expect(last - t0).toBeGreaterThanOrEqual(3 * 200 - 10);
    expect(last - t0).toBeLessThan(2500);
  });

  it("gives a chat one slot a second", async () => {
    const { q } = await newQueue();
    expect(await q.chatSlot(42)).toBe(true);
    expect(await q.chatSlot(42)).toBe(false);
    expect(await q.chatSlot(43)).toBe(true);
    await sleep(1100);
    expect(await q.chatSlot(42)).toBe(true);
    expect(await q.chatSlot(42)).toBe(false);
  });

  it("spaces sends at 1/rate seconds, and holds them all for a pause", async () => {
    // measured from before the first call: the slots are booked on Redis' clock, and a reply
    // that reaches a loaded test process late shortens the gap seen here, not the span
    const { q } = await newQueue({ rate: 10 });
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) await q.sendSlot();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(5 * 100 - 10);
    expect(Date.now() - t0).toBeLessThan(5 * 100 + 1500);
    await sleep(200);
    const t1 = Date.now();
    await q.pauseAll(400);
    await q.sendSlot();
    expect(Date.now() - t1).toBeGreaterThanOrEqual(390);
    expect(Date.now() - t1).toBeLessThan(1500);
  });

  it("holds the jobs yet to start during a pause too", async () => {
    const { q } = await newQueue();
    const r = recorder();
    q.handle("tip", r.run);
    q.start();
    await q.add(jobs("tip", [1], "warm"));
    await until(() => r.runs.length === 1);
    const t0 = Date.now();
    await q.pauseAll(700);
    await q.add(jobs("tip", [2]));
    await until(() => r.runs.length === 2);
    expect(r.runs[1]!.at - t0).toBeGreaterThanOrEqual(600);
  });

  it("calls onGiveUp once, after the last attempt only", async () => {
    const { q, logger } = await newQueue({ attempts: 2 });
    const tries: number[] = [];
    const gaveUp: Array<{ id: string; attemptsMade: number; err: string }> = [];
    q.handle(
      "tip",
      async (job) => {
        tries.push(Date.now());
        // uid 2 fails once, then goes through
        if (job.data.uid === 1 || job.attemptsMade === 0) throw new Error(`送达失败 ${job.data.uid}`);
      },
      {
        onGiveUp: async (job, err) => {
          gaveUp.push({ id: job.id!, attemptsMade: job.attemptsMade, err: err.message });
        },
      },
    );
    q.start();
    await q.add(jobs("tip", [1, 2]));
    await until(async () => (await q.queue.getJobState("tip-1")) === "failed", 8000);
    await until(async () => (await q.queue.getJobState("tip-2")) === "completed", 8000);
    await sleep(100);
    expect(gaveUp).toEqual([{ id: "tip-1", attemptsMade: 2, err: "送达失败 1" }]);
    // both failures are logged; the second try waits the backoff (1 s)
    expect(logger.lines.filter((l) => l.msg === "delivery job failed")).toHaveLength(3);
    expect(tries).toHaveLength(4);
  });

  it("logs a give-up that cannot be recorded, and keeps working", async () => {
    const { q, logger } = await newQueue({ attempts: 1 });
    const r = recorder();
    q.handle(
      "tip",
      async (job) => {
        if (job.data.uid === 1) throw new Error("发送失败");
        await r.run(job);
      },
      {
        onGiveUp: async () => {
          throw new Error("存储不可用");
        },
      },
    );
    q.start();
    await q.add(jobs("tip", [1]));
    await until(() => logger.lines.some((l) => l.msg === "delivery job given up, not recorded"));
    const line = logger.lines.find((l) => l.msg === "delivery job given up, not recorded")!;
    expect(line.level).toBe("error");
    expect(line.ctx).toMatchObject({ job: "tip-1", err: new Error("存储不可用") });
    await q.add(jobs("tip", [2]));
    await until(() => r.runs.length === 1);
  });

  it("on stop, lets a job in hand finish before the deadline, and takes no new job after", async () => {
    const { q, logger } = await newQueue();
    const done: number[] = [];
    q.handle("tip", async (job) => {
      await sleep(300);
      done.push(job.data.uid);
    });
    q.start();
    await q.add(jobs("tip", [1]));
    await until(async () => (await q.queue.getActiveCount()) === 1);
    const t0 = Date.now();
    await q.stopWorker(5000);
    expect(done).toEqual([1]);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(logger.lines.filter((l) => l.level === "warn")).toEqual([]);
    // the queue still takes jobs, for another instance to send
    await q.add(jobs("tip", [2]));
    await sleep(400);
    expect(done).toEqual([1]);
    expect(await q.depth()).toBe(1);
    // stopping again is harmless; starting again works the queue
    await q.stopWorker(100);
    q.start();
    await q.idle(10, 5000);
    await until(() => done.length === 2);
  });

  it("on stop, leaves a job that runs past the deadline to another instance, and says so", async () => {
    const { q, logger } = await newQueue({ drainMs: 300, lockMs: 600, stalledIntervalMs: 200 });
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    q.handle("tip", () => held);
    q.start();
    await q.add(jobs("tip", [1]));
    await until(async () => (await q.queue.getActiveCount()) === 1);
    const t0 = Date.now();
    await q.stopWorker();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(280);
    expect(took).toBeLessThan(2000);
    expect(logger.lines.filter((l) => l.level === "warn").map((l) => l.msg)).toEqual([
      "delivery jobs still running at shutdown: left to another instance",
    ]);
    // another instance takes it over once the lock lapses
    const { q: other } = await newQueueOn(q);
    const r = recorder();
    other.handle("tip", r.run);
    other.start();
    await until(() => r.runs.length === 1, 8000);
    expect(r.runs[0]!.uid).toBe(1);
    release();
  });

  it("logs the Redis errors of its producer and of its worker", async () => {
    const { q, logger, connections } = await newQueue();
    q.start();
    const on = (role: string) => connections.find((c) => c.role === role)!.connection;
    on("producer").emit("error", new Error("生产者连接被重置"));
    on("worker").emit("error", new Error("工作进程连接被重置"));
    expect(logger.lines.filter((l) => l.level === "error")).toEqual([
      { level: "error", msg: "delivery queue error", ctx: { err: new Error("生产者连接被重置") } },
      { level: "error", msg: "delivery worker error", ctx: { err: new Error("工作进程连接被重置") } },
    ]);
  });

  it("closing with a job in hand waits the drain time, not longer", async () => {
    const { q, logger } = await newQueue({ drainMs: 200 });
    let release = () => {};
    q.handle("tip", () => new Promise<void>((r) => (release = r)));
    q.start();
    await q.add(jobs("tip", [1]));
    await until(async () => (await q.queue.getActiveCount()) === 1);
    const t0 = Date.now();
    await q.close();
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(logger.lines.map((l) => l.msg)).toContain(
      "delivery jobs still running at shutdown: left to another instance",
    );
    release();
  });

  it("closes its connections", async () => {
    const { q, connections } = await newQueue();
    q.handle("tip", async () => undefined);
    q.start();
    await q.add(jobs("tip", [1]));
    await q.idle(10, 5000);
    await q.close(100);
    expect(connections.map((c) => c.role).sort()).toEqual(["producer", "worker"]);
    await until(() => connections.every((c) => c.connection.status === "end"), 2000);
  });
});

/** A second instance on the same namespace as `q` (the other instance of a cluster). */
async function newQueueOn(q: DeliveryQueue) {
  const prefix = (q.queue.opts.prefix ?? "").replace(/:$/, "");
  const storage = await createStorage({ dataDir: "unused", redisUrl: REDIS_URL, namespace: prefix });
  const kv = storage.kv as RedisKv;
  const other = new DeliveryQueue({
    connect: (role) => kv.jobConnection(role),
    rate: 100,
    logger: recordingLogger(),
    lockMs: 600,
    stalledIntervalMs: 200,
  });
  cleanups.push(async () => {
    await other.close(100);
    await storage.close();
  });
  return { q: other };
}
