import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { DeliveryQueue } from "../../src/broadcast/delivery-queue.ts";
import { QueuedBroadcaster, tipJobId } from "../../src/broadcast/queued-broadcaster.ts";
import { createStorage, type Storage } from "../../src/storage/index.ts";
import type { DeliveryReport, JobRepo, TipJob } from "../../src/storage/jobs.ts";
import type { RedisKv } from "../../src/storage/redis-kv.ts";
import { FakeClock } from "../bot/helpers.ts";
import { collector } from "../bot/people.ts";
import { deleteNamespace } from "../multi/namespace.ts";
import { badRequest, blocked, legacyTip, recordingLogger, sleep, tooMany, until } from "./helpers.ts";

/**
 * Tips on the shared delivery queue, without a bot: a real DeliveryQueue and the Redis job and user
 * stores, and a fake Telegram send that records each call and fails as told.
 */
const REDIS_URL = process.env.REDIS_URL;
const TEXT = "今天下午三点前，把逾期客户的回访记录补齐。";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Send {
  uid: number;
  html: string;
  at: number;
  attempt: number;
}

interface SetupOptions {
  /** the queue's attempts per job (default: the queue's own, 10) */
  attempts?: number;
  sendAttempts?: number;
  rate?: number;
  /** a send's fate: an error to throw, or nothing to go through */
  fail?: (uid: number, attempt: number) => Error | undefined;
  /** the job store the broadcaster sees (a faulty one) */
  jobs?: (jobs: JobRepo) => JobRepo;
  clock?: FakeClock;
  /** recipients registered as members */
  members?: number[];
  /** runs inside a send before its fate (a slow Telegram) */
  hold?: (uid: number) => Promise<void>;
}

async function setup(o: SetupOptions = {}) {
  const namespace = `qb-${randomUUID()}`;
  const storage: Storage = await createStorage({ dataDir: "unused", redisUrl: REDIS_URL, namespace });
  const kv = storage.kv as RedisKv;
  const logger = recordingLogger();
  const queue = new DeliveryQueue({
    connect: (role) => kv.jobConnection(role),
    rate: o.rate ?? 100,
    logger,
    ...(o.attempts ? { attempts: o.attempts } : {}),
  });
  for (const id of o.members ?? []) await storage.users.put(collector(id, "东区"));
  const sends: Send[] = [];
  const tries = new Map<number, number>();
  const done: Array<{ job: TipJob; report: DeliveryReport }> = [];
  const b = new QueuedBroadcaster({
    queue,
    jobs: o.jobs ? o.jobs(storage.jobs) : storage.jobs,
    users: storage.users,
    logger,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.sendAttempts ? { sendAttempts: o.sendAttempts } : {}),
    send: async (uid, html) => {
      const attempt = (tries.get(uid) ?? 0) + 1;
      tries.set(uid, attempt);
      sends.push({ uid, html, at: Date.now(), attempt });
      await o.hold?.(uid);
      const err = o.fail?.(uid, attempt);
      if (err) throw err;
    },
    onDone: async (job, report) => {
      done.push({ job, report });
    },
  });
  cleanups.push(async () => {
    await b.stop();
    await storage.close();
    await deleteNamespace(namespace);
  });
  const tip = (recipients: number[], text = TEXT) =>
    b.enqueue({ senderId: 9000, senderChatId: 9000, text, allowWarn: false, recipients });
  return {
    b,
    queue,
    storage,
    logger,
    sends,
    done,
    tip,
    sentTo: (uid: number) => sends.filter((s) => s.uid === uid),
  };
}

const report = (r: Partial<DeliveryReport>): DeliveryReport => ({
  sent: 0,
  failed: 0,
  inactive: 0,
  unknown: 0,
  total: 0,
  ...r,
});

const networkDown = () => new Error("read ECONNRESET");

describe.skipIf(!REDIS_URL)("tips on the delivery queue (QueuedBroadcaster)", () => {
  it("reports a tip with nobody to send to at once, and once", async () => {
    const clock = new FakeClock(new Date("2026-03-02T02:00:00Z"));
    const { b, done, sends, storage, tip } = await setup({ clock });
    const job = await tip([]);
    // finished before enqueue returns: no worker runs at all
    expect(done).toEqual([{ job, report: report({ total: 0 }) }]);
    expect(await b.wait(job.id)).toEqual(report({ total: 0 }));
    expect(await storage.jobs.get(job.id)).toMatchObject({
      status: "done",
      createdAt: "2026-03-02T02:00:00.000Z",
      finishedAt: "2026-03-02T02:00:00.000Z",
    });
    expect(await storage.jobs.active()).toEqual([]);
    expect(sends).toEqual([]);
  });

  it("sends every recipient the text once and reports once", async () => {
    const members = [101, 102, 103];
    const { b, done, sends, logger, tip, storage } = await setup({ members });
    b.start();
    const t0 = Date.now();
    const job = await tip(members);
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 3, total: 3 }));
    await sleep(100);
    expect(sends.map((s) => s.uid).sort()).toEqual(members);
    expect(sends.every((s) => s.html === TEXT)).toBe(true);
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done).toHaveLength(1);
    expect(done[0]!.report).toEqual(report({ sent: 3, total: 3 }));
    expect(done[0]!.job.id).toBe(job.id);
    const stored = await storage.jobs.get(job.id);
    expect(stored?.status).toBe("done");
    // no clock given: the real one
    expect(Date.parse(stored!.finishedAt!)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(stored!.createdAt)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(logger.lines.filter((l) => l.level === "info").map((l) => [l.msg, l.ctx])).toEqual([
      ["tip job queued", { job: job.id, total: 3 }],
      ["tip job done", { job: job.id, sent: 3, failed: 0, inactive: 0, unknown: 0, total: 3 }],
    ]);
  });

  it("queues one job per recipient under the id the runbook names", async () => {
    const { queue, tip } = await setup();
    const job = await tip([7, 8]);
    expect(tipJobId(job.id, 7)).toBe(`tip:${job.id}:7`);
    expect((await queue.queue.getJob(`tip:${job.id}:7`))?.data).toEqual({ uid: 7, job: job.id });
    expect((await queue.queue.getJob(`tip:${job.id}:8`))?.data).toEqual({ uid: 8, job: job.id });
    expect(await queue.depth()).toBe(2);
  });

  it("does not send again to a recipient already sent to, nor to one found in flight", async () => {
    const members = [201, 202, 203];
    const { b, queue, storage, sends, done, tip } = await setup({ members });
    const job = await tip(members); // queued, no worker yet
    await storage.jobs.mark(job.id, [
      [202, "sent"],
      [203, "inflight"], // its sender died mid-send: it may have gone out
    ]);
    queue.start();
    const r = await b.wait(job.id, 20);
    expect(r).toEqual(report({ sent: 2, unknown: 1, total: 3 }));
    expect(sends.map((s) => s.uid)).toEqual([201]);
    expect(await storage.jobs.status(job.id, 203)).toBe("unknown");
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done).toHaveLength(1);
  });

  it("sends nothing for a job already done, nor for one that is gone", async () => {
    const { queue, storage, sends, done, tip, logger } = await setup({ members: [301] });
    const job = await tip([301]);
    await storage.jobs.finish(job.id, new Date());
    await queue.add([{ name: "tip", data: { uid: 302, job: "gone" } as never, jobId: "tip:gone:302" }]);
    queue.start();
    await queue.idle(10, 5000);
    expect(await queue.queue.getJobState(tipJobId(job.id, 301))).toBe("completed");
    expect(await queue.queue.getJobState("tip:gone:302")).toBe("completed");
    expect(sends).toEqual([]);
    expect(done).toEqual([]);
    expect(logger.lines.filter((l) => l.level !== "info")).toEqual([]);
  });

  it("after a 429 holds every send for retry_after, then sends that recipient again", async () => {
    const members = [401, 402, 403];
    const { b, sends, logger, tip, sentTo } = await setup({
      members,
      rate: 5,
      fail: (uid, attempt) => (uid === 401 && attempt === 1 ? tooMany(1) : undefined),
    });
    b.start();
    const job = await tip(members);
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 3, total: 3 }));
    expect(sentTo(401).map((s) => s.attempt)).toEqual([1, 2]);
    const refusedAt = sentTo(401)[0]!.at;
    for (const s of sends.slice(1)) expect(s.at - refusedAt).toBeGreaterThanOrEqual(950);
    expect(sends.filter((s) => s.uid !== 401).map((s) => s.attempt)).toEqual([1, 1]);
    expect(logger.lines.find((l) => l.msg === "tip 429, pausing every instance")?.ctx).toEqual({
      job: job.id,
      retry_after: 1,
    });
  });

  it("retries a recipient after a network error and sends on the next attempt", async () => {
    const { b, tip, sentTo, logger } = await setup({
      members: [501],
      fail: (_, attempt) => (attempt === 1 ? networkDown() : undefined),
    });
    b.start();
    const job = await tip([501]);
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 1, total: 1 }));
    expect(sentTo(501).map((s) => s.attempt)).toEqual([1, 2]);
    expect(logger.lines.find((l) => l.msg === "tip network error, will retry")?.ctx).toEqual({
      job: job.id,
      err: "read ECONNRESET",
    });
  });

  it("gives up on a recipient after sendAttempts network errors (3 by default, or as set)", async () => {
    const run = async (sendAttempts?: number) => {
      const s = await setup({
        members: [601, 602],
        sendAttempts,
        fail: (uid) => (uid === 601 ? networkDown() : undefined),
      });
      s.b.start();
      const job = await s.tip([601, 602]);
      const r = await s.b.wait(job.id, 20);
      await sleep(100);
      return { r, tries: s.sentTo(601).length, s, job };
    };
    const [byDefault, two] = await Promise.all([run(), run(2)]);
    expect(byDefault.r).toEqual(report({ sent: 1, failed: 1, total: 2 }));
    expect(byDefault.tries).toBe(3);
    expect(two.r).toEqual(report({ sent: 1, failed: 1, total: 2 }));
    expect(two.tries).toBe(2);
    // the last one is logged as a failure, the member stays active
    expect(two.s.logger.lines.find((l) => l.msg === "tip delivery failed")?.ctx).toEqual({
      job: two.job.id,
      err: "read ECONNRESET",
    });
    expect((await two.s.storage.users.get(601))?.active).toBe(true);
  });

  it("marks a member who blocked the bot inactive, and counts a refused chat failed without retrying", async () => {
    const members = [701, 702, 703];
    const { b, tip, sentTo, storage, logger } = await setup({
      members,
      fail: (uid) => (uid === 701 ? blocked() : uid === 702 ? badRequest() : undefined),
    });
    b.start();
    const job = await tip(members);
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 1, inactive: 1, failed: 1, total: 3 }));
    await sleep(200);
    expect(sentTo(701)).toHaveLength(1);
    expect(sentTo(702)).toHaveLength(1);
    expect((await storage.users.get(701))?.active).toBe(false);
    expect((await storage.users.get(702))?.active).toBe(true);
    expect((await storage.users.get(703))?.active).toBe(true);
    expect(await storage.jobs.status(job.id, 701)).toBe("inactive");
    expect(await storage.jobs.status(job.id, 702)).toBe("failed");
    const failed = logger.lines.filter((l) => l.msg === "tip delivery failed");
    expect(failed.map((l) => l.ctx)).toEqual([{ job: job.id, err: badRequest().message }]);
  });

  it("counts a recipient failed when the store fails on every attempt, and still reports once", async () => {
    let jobs: JobRepo | undefined;
    let id = "";
    const { b, tip, sends, done } = await setup({
      members: [801, 802],
      attempts: 2,
      jobs: (real) => {
        jobs = real;
        const faulty = Object.create(real) as JobRepo;
        faulty.claimSend = async (job, uid) => {
          if (uid === 801) throw new Error("Redis 超时");
          return real.claimSend(job, uid);
        };
        return faulty;
      },
      // 802's send is slow: it is still out a while after 801 is given up
      hold: async (uid) => {
        if (uid !== 802) return;
        await until(async () => (await jobs!.status(id, 801)) === "failed", 8000);
        await sleep(300);
      },
    });
    b.start();
    const job = await tip([801, 802]);
    id = job.id;
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 1, failed: 1, total: 2 }));
    await sleep(200);
    expect(sends.map((s) => s.uid)).toEqual([802]);
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done.map((d) => d.report)).toEqual([report({ sent: 1, failed: 1, total: 2 })]);
  });

  it("counts a recipient unknown when the store fails while it is in flight", async () => {
    let failures = 0;
    const { b, tip, sends, done, storage } = await setup({
      members: [901],
      attempts: 2,
      jobs: (jobs) => {
        const faulty = Object.create(jobs) as JobRepo;
        // down for both attempts, back for the give-up
        faulty.status = async (id, uid) => {
          if (failures++ < 2) throw new Error("Redis 超时");
          return jobs.status(id, uid);
        };
        return faulty;
      },
    });
    const job = await tip([901]);
    await storage.jobs.mark(job.id, [[901, "inflight"]]);
    b.start();
    expect(await b.wait(job.id, 20)).toEqual(report({ unknown: 1, total: 1 }));
    expect(await storage.jobs.status(job.id, 901)).toBe("unknown");
    expect(sends).toEqual([]);
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done.map((d) => d.report)).toEqual([report({ unknown: 1, total: 1 })]);
  });

  it("never sends twice when the store fails to record a send that went out", async () => {
    let down = true;
    const { b, tip, sentTo, done } = await setup({
      members: [1301],
      jobs: (jobs) => {
        const faulty = Object.create(jobs) as JobRepo;
        // one Redis timeout, right after Telegram took the message
        faulty.mark = async (id, entries) => {
          if (down && entries.some(([, s]) => s === "sent")) {
            down = false;
            throw new Error("Redis 超时");
          }
          return jobs.mark(id, entries);
        };
        return faulty;
      },
    });
    b.start();
    const job = await tip([1301]);
    const r = await b.wait(job.id, 20);
    await sleep(200);
    expect(sentTo(1301)).toHaveLength(1);
    // it went out but was not recorded: counted as "unknown", as a send found in flight is
    expect(r).toEqual(report({ unknown: 1, total: 1 }));
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done).toHaveLength(1);
  });

  it("picks up a stored job the queue does not hold: sends the open ones, settles the rest", async () => {
    const members = [1001, 1002, 1003, 1004];
    const { b, queue, storage, sends, done } = await setup({ members });
    const stored = legacyTip(members);
    await storage.jobs.create(stored);
    await storage.jobs.mark("legacy", [
      [1001, "sent"],
      [1002, "inflight"],
      [1003, "retry"],
    ]);
    // served long ago, nothing open: only its report is missing
    await storage.jobs.create({ ...stored, id: "served", recipients: [1001, 1002] });
    await storage.jobs.mark("served", [
      [1001, "sent"],
      [1002, "failed"],
    ]);
    await storage.jobs.create({ ...stored, id: "empty", recipients: [] });
    await b.resumeAll();
    expect(await b.wait("legacy", 20)).toEqual(report({ sent: 3, unknown: 1, total: 4 }));
    expect(sends.map((s) => s.uid).sort()).toEqual([1003, 1004]);
    // only the open ones went on the queue
    for (const uid of [1003, 1004, 1002])
      expect(await queue.queue.getJob(tipJobId("legacy", uid))).toBeDefined();
    expect(await queue.queue.getJob(tipJobId("legacy", 1001))).toBeUndefined();
    await until(() => done.length >= 3);
    const reports = Object.fromEntries(done.map((d) => [d.job.id, d.report]));
    expect(reports).toEqual({
      legacy: report({ sent: 3, unknown: 1, total: 4 }),
      served: report({ sent: 1, failed: 1, total: 2 }),
      empty: report({ total: 0 }),
    });
    expect(done).toHaveLength(3);
    expect(await storage.jobs.active()).toEqual([]);
  });

  it("resuming a tip the queue holds still sends each recipient once", async () => {
    const members = [1101, 1102];
    const { b, tip, sends, done } = await setup({ members });
    const job = await tip(members);
    await b.resumeAll();
    expect(await b.wait(job.id, 20)).toEqual(report({ sent: 2, total: 2 }));
    await sleep(200);
    expect(sends.map((s) => s.uid).sort()).toEqual(members);
    // the report reaches the sender right after the job is marked done: wait for it
    await until(() => done.length >= 1);
    expect(done).toHaveLength(1);
  });

  it("logs, and does not throw, when resuming fails", async () => {
    const { b, logger } = await setup({
      jobs: (jobs) => {
        const faulty = Object.create(jobs) as JobRepo;
        faulty.active = async () => {
          throw new Error("Redis 不可用");
        };
        return faulty;
      },
    });
    b.start();
    await until(() => logger.lines.some((l) => l.msg === "tip jobs not resumed"));
    expect(logger.lines.find((l) => l.msg === "tip jobs not resumed")).toMatchObject({
      level: "error",
      ctx: { err: new Error("Redis 不可用") },
    });
  });

  it("wait(): nothing for an unknown job, and nothing once this instance stops", async () => {
    const { b, tip } = await setup();
    expect(await b.wait("no-such-job")).toBeUndefined();
    const job = await tip([1201]); // no worker: it stays open
    const waiting = b.wait(job.id, 20);
    await sleep(100);
    await b.stop();
    expect(await waiting).toBeUndefined();
    expect(await b.wait(job.id)).toBeUndefined();
  });
});
