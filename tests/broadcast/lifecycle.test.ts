import { HttpError } from "grammy";
import Keyv from "keyv";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { Broadcaster, type BroadcasterOptions } from "../../src/broadcast/broadcaster.ts";
import { type Storage, storageOver } from "../../src/storage/index.ts";
import type { DeliveryReport, JobRepo, TipJob } from "../../src/storage/jobs.ts";
import { Kv } from "../../src/storage/kv.ts";
import { collector } from "../bot/helpers.ts";
import { recordingLogger, sharedLeases, T0, tooMany, virtualSleep } from "./helpers.ts";

/**
 * A tip job's life across instances and restarts: leases (one runner at a time, renewed while it
 * runs, given back when it ends), the watcher that picks up orphaned jobs, stop and resume.
 * Real timers here (leases and the watcher run on intervals); runs take a few hundred ms at most.
 */
let storage: Storage;
beforeEach(() => {
  storage = storageOver(new Kv(new Keyv(), "sqlite", async () => undefined));
});
afterEach(() => {
  vi.useRealTimers();
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function team(n: number) {
  for (const id of ids(n)) await storage.users.put(collector(id, "东区"));
}

/** A job as /tip writes it, before any instance has picked it up. */
async function storedJob(recipients: number[], id = "j1"): Promise<TipJob> {
  const job: TipJob = {
    id,
    senderId: 99,
    senderChatId: 99,
    text: "提示",
    allowWarn: false,
    recipients,
    createdAt: new Date().toISOString(),
    status: "running",
  };
  await storage.jobs.create(job);
  return job;
}

/** An instance: its broadcaster and the chats it sent to. */
function instance(options: Partial<BroadcasterOptions> = {}) {
  const sent: number[] = [];
  const reports: DeliveryReport[] = [];
  const b = new Broadcaster({
    jobs: storage.jobs,
    users: storage.users,
    rate: 200,
    logger: silentLogger,
    send: async (uid) => {
      sent.push(uid);
    },
    onDone: async (_job, report) => {
      reports.push(report);
    },
    ...options,
  });
  return { b, sent, reports };
}

const until = async (done: () => boolean, ms = 2000) => {
  for (const start = Date.now(); !done() && Date.now() - start < ms; )
    await new Promise((r) => setTimeout(r, 5));
};

describe("one runner per job (leases)", () => {
  it("a job another instance holds is left to it: nothing sent, no report", async () => {
    await team(3);
    const jobs = sharedLeases(storage.jobs);
    await storedJob(ids(3));
    await jobs.lease("j1", "other-instance", 30_000);
    const { b, sent, reports } = instance({ jobs });
    await b.resumeAll();
    expect(await b.wait("j1")).toBeUndefined();
    expect(sent).toEqual([]);
    expect(reports).toEqual([]);
    expect(jobs.holder("j1")).toBe("other-instance");
  });

  it("a long delivery keeps its lease the whole time, and gives it back at the end", async () => {
    await team(20);
    const jobs = sharedLeases(storage.jobs);
    await storedJob(ids(20));
    // 20 messages at 50/s: about 400 ms, far longer than the 60 ms lease
    const { b, sent } = instance({ jobs, rate: 50, leaseMs: 60 });
    await b.resumeAll();
    let stolen = false;
    const rival = setInterval(() => {
      void jobs.lease("j1", "rival", 60).then((got) => {
        if (got && sent.length < 20) stolen = true;
      });
    }, 10);
    const report = await b.wait("j1");
    clearInterval(rival);
    expect(report).toMatchObject({ sent: 20, total: 20 });
    expect(stolen).toBe(false);
    expect(jobs.holder("j1")).toBeUndefined();
  });

  it("a lease that cannot be renewed is logged, and the delivery goes on", async () => {
    await team(10);
    const jobs = sharedLeases(storage.jobs);
    const take = jobs.lease.bind(jobs);
    let calls = 0;
    jobs.lease = async (id, owner, ms) => {
      if (++calls > 1) throw new Error("store down");
      return take(id, owner, ms);
    };
    await storedJob(ids(10));
    const logger = recordingLogger();
    const { b } = instance({ jobs, logger, rate: 50, leaseMs: 30 });
    await b.resumeAll();
    expect(await b.wait("j1")).toMatchObject({ sent: 10 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        msg: expect.stringMatching(/lease not renewed/),
        ctx: { err: expect.objectContaining({ message: "store down" }) },
      }),
    );
  });

  it("a job finished by another instance after the list was read is not delivered or reported again", async () => {
    await team(3);
    const job = await storedJob(ids(3));
    // the list still shows it running; by the time this instance holds the lease it is done
    const jobs = Object.create(storage.jobs) as JobRepo;
    jobs.active = async () => [job];
    await storage.jobs.finish("j1", new Date());
    const { b, sent, reports } = instance({ jobs });
    await b.resumeAll();
    expect(await b.wait("j1")).toBeUndefined();
    expect(sent).toEqual([]);
    expect(reports).toEqual([]);
  });

  it("a job that fails on the store is logged with its id, and its lease is given back", async () => {
    await team(3);
    const jobs = sharedLeases(storage.jobs);
    jobs.statuses = async () => {
      throw new Error("store down");
    };
    await storedJob(ids(3));
    const logger = recordingLogger();
    const { b, sent } = instance({ jobs, logger });
    await b.resumeAll();
    expect(await b.wait("j1")).toBeUndefined();
    expect(sent).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: expect.stringMatching(/tip job/),
        ctx: expect.objectContaining({ job: "j1" }),
      }),
    );
    expect(jobs.holder("j1")).toBeUndefined();
  });
});

describe("the watcher picks up orphaned jobs", () => {
  it("looks at once on start, not only after the first interval", async () => {
    await team(3);
    await storedJob(ids(3));
    const { b, reports } = instance();
    b.watch(60_000);
    await until(() => reports.length > 0, 1000);
    await b.stop();
    expect(reports).toEqual([expect.objectContaining({ sent: 3, total: 3 })]);
  });

  it("takes over a job once its dead runner's lease runs out", async () => {
    await team(3);
    const jobs = sharedLeases(storage.jobs);
    await storedJob(ids(3));
    await jobs.lease("j1", "dead-instance", 150);
    const { b, sent, reports } = instance({ jobs });
    b.watch(30);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toEqual([]);
    await until(() => reports.length > 0);
    await b.stop();
    expect(sent.sort()).toEqual([1, 2, 3]);
    expect(reports).toEqual([expect.objectContaining({ sent: 3, total: 3 })]);
  });

  it("logs when the job list cannot be read, and keeps watching", async () => {
    await team(2);
    const jobs = Object.create(storage.jobs) as JobRepo;
    let failures = 1;
    jobs.active = async () => {
      if (failures-- > 0) throw new Error("store down");
      return storage.jobs.active();
    };
    await storedJob(ids(2));
    const logger = recordingLogger();
    const { b, reports } = instance({ jobs, logger });
    b.watch(30);
    await until(() => reports.length > 0);
    await b.stop();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: expect.stringMatching(/not resumed/),
        ctx: { err: expect.objectContaining({ message: "store down" }) },
      }),
    );
    expect(reports).toHaveLength(1);
  });

  it("after stop, neither the watcher nor resumeAll starts a job, and the watcher stops reading the store", async () => {
    await team(2);
    const jobs = Object.create(storage.jobs) as JobRepo;
    let reads = 0;
    jobs.active = async () => {
      reads++;
      return storage.jobs.active();
    };
    const { b, sent } = instance({ jobs });
    b.watch(20);
    await b.stop();
    const readsAtStop = reads;
    await storedJob(ids(2));
    await b.resumeAll();
    await new Promise((r) => setTimeout(r, 80));
    expect(sent).toEqual([]);
    // the explicit resumeAll reads once; the stopped watcher never again
    expect(reads).toBe(readsAtStop + 1);
  });
});

describe("stop and resume", () => {
  it("stop waits for the messages in flight, and a job whose last message was in flight is finished and reported", async () => {
    await team(1);
    let answer!: () => void;
    const { b, reports } = instance({ send: () => new Promise<void>((r) => (answer = r)) });
    await storedJob(ids(1));
    await b.resumeAll();
    await until(() => answer !== undefined);
    let stopped = false;
    const stopping = b.stop().then(() => {
      stopped = true;
    });
    // longer than the delivery loop's own wait: it has seen the stop before the answer comes
    await new Promise((r) => setTimeout(r, 120));
    expect(stopped).toBe(false);
    answer();
    await stopping;
    expect(await storage.jobs.report("j1")).toMatchObject({ sent: 1, unknown: 0 });
    expect(reports).toEqual([expect.objectContaining({ sent: 1 })]);
    expect(await storage.jobs.active()).toEqual([]);
  });

  it("a stop while a send waits for the shared budget: that chat is not sent, and gets the tip on resume", async () => {
    await team(3);
    await storedJob(ids(3));
    let slots = 0;
    const logger = recordingLogger();
    const first = instance({
      logger,
      sharedSlot: async () => {
        // the third send waits for the budget while the instance shuts down
        if (++slots === 3) void first.b.stop();
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    await first.b.resumeAll();
    expect(await first.b.wait("j1")).toBeUndefined();
    expect(first.sent.sort()).toEqual([1, 2]);
    expect(first.reports).toEqual([]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: expect.stringMatching(/paused/),
        ctx: expect.objectContaining({ pending: 1 }),
      }),
    );

    const second = instance();
    await second.b.resumeAll();
    expect(await second.b.wait("j1")).toMatchObject({ sent: 3, unknown: 0, total: 3 });
    expect(second.sent).toEqual([3]);
    expect(second.reports).toHaveLength(1);
  });

  it.each([
    ["a 429 window", () => tooMany(5)],
    ["a network retry", () => new HttpError("socket hang up", new Error("reset"))],
  ])(
    "a shutdown during %s: the chat waiting to be retried gets the tip after the restart",
    async (_, err) => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(T0);
      await team(3);
      await storedJob(ids(3));
      const first = instance({
        rate: 25,
        sleep: virtualSleep,
        send: async (uid) => {
          first.sent.push(uid);
          if (uid === 2) {
            void first.b.stop();
            throw err();
          }
        },
      });
      await first.b.resumeAll();
      expect(await first.b.wait("j1")).toBeUndefined();

      const second = instance({ rate: 25, sleep: virtualSleep });
      await second.b.resumeAll();
      expect(await second.b.wait("j1")).toMatchObject({ sent: 3, unknown: 0, failed: 0, total: 3 });
      expect(second.sent).toContain(2);
      expect([...first.sent, ...second.sent].filter((u) => u === 1)).toHaveLength(1);
    },
  );

  it("after a crash mid-send, the chat caught in flight is reported unknown and never sent twice; earlier ones count as sent", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
    await team(4);
    await storedJob(ids(4));
    let dead = false;
    const never = new Promise<void>(() => undefined);
    const first = instance({
      rate: 25,
      // the process dies while the message to chat 2 is on the wire: nothing after that happens
      sleep: (ms) => (dead ? never : virtualSleep(ms)),
      send: async (uid) => {
        first.sent.push(uid);
        if (uid === 2) {
          dead = true;
          await never;
        }
      },
    });
    await first.b.resumeAll();
    await until(() => dead);
    expect(first.sent).toEqual([1, 2]);

    const second = instance({ rate: 25, sleep: virtualSleep });
    await second.b.resumeAll();
    const report = await second.b.wait("j1");
    expect(second.sent.sort()).toEqual([3, 4]);
    expect(report).toMatchObject({ sent: 3, unknown: 1, total: 4 });
  });
});
