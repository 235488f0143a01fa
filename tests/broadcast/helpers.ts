import { GrammyError } from "grammy";
import Keyv from "keyv";
import { afterEach, beforeEach, vi } from "vitest";
import type { Logger } from "../../src/bot/logger.ts";
import { silentLogger } from "../../src/bot/logger.ts";
import { Broadcaster, type BroadcasterOptions } from "../../src/broadcast/broadcaster.ts";
import { type Storage, storageOver } from "../../src/storage/index.ts";
import type { JobRepo, TipJob } from "../../src/storage/jobs.ts";
import { Kv } from "../../src/storage/kv.ts";
import { collector } from "../bot/helpers.ts";

/** Shared parts of the tip delivery tests: Telegram errors, a virtual clock, a recording harness. */
export const T0 = Date.parse("2026-03-02T02:00:00Z");

const refusal = (code: number, description: string, parameters?: { retry_after: number }) =>
  new GrammyError(
    `Call to 'sendMessage' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
    "sendMessage",
    {},
  );
export const tooMany = (retryAfter: number) => refusal(429, "Too Many Requests", { retry_after: retryAfter });
export const blocked = () => refusal(403, "Forbidden: bot was blocked by the user");
export const badRequest = () => refusal(400, "Bad Request: chat not found");

/** advance the virtual clock, and let real I/O and timers run (as a real sleep would) */
export const virtualSleep = async (ms: number) => {
  vi.setSystemTime(Date.now() + ms);
  await new Promise((r) => setImmediate(r));
};

/** Date is virtual (starts at T0) for every test of the calling file; returns the fresh store of each test. */
export function useVirtualClock(): () => Storage {
  let storage: Storage;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(T0);
    storage = storageOver(new Kv(new Keyv(), "sqlite", async () => undefined));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  return () => storage;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `ok` holds, on real time (fails after timeoutMs). */
export async function until(ok: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(20);
  }
}

/** A tip stored by the embedded path before a switch to Redis: running, not on the queue. */
export const legacyTip = (recipients: number[]): TipJob => ({
  id: "legacy",
  senderId: 9000,
  senderChatId: 9000,
  text: "旧任务：今天跟进逾期三十天的客户。",
  allowWarn: false,
  recipients,
  createdAt: new Date().toISOString(),
  status: "running",
});

/** A logger that keeps every line (operators read these). */
export function recordingLogger(): Logger & { lines: Array<{ level: string; msg: string; ctx?: unknown }> } {
  const lines: Array<{ level: string; msg: string; ctx?: unknown }> = [];
  const at = (level: string) => (msg: string, ctx?: Record<string, unknown>) => {
    lines.push({ level, msg, ctx });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * The job store as several instances on Redis see it: a lease is held by one owner until it
 * expires (JobRepo.lease's Redis semantics, on the virtual clock), whatever the embedded store says.
 */
export function sharedLeases(jobs: JobRepo): JobRepo & { holder(id: string): string | undefined } {
  const leases = new Map<string, { owner: string; until: number }>();
  const shared = Object.create(jobs) as JobRepo & { holder(id: string): string | undefined };
  shared.lease = async (id, owner, ms) => {
    const cur = leases.get(id);
    if (cur && cur.owner !== owner && cur.until > Date.now()) return false;
    leases.set(id, { owner, until: Date.now() + ms });
    return true;
  };
  shared.release = async (id, owner) => {
    if (leases.get(id)?.owner === owner) leases.delete(id);
  };
  shared.holder = (id) => {
    const cur = leases.get(id);
    return cur && cur.until > Date.now() ? cur.owner : undefined;
  };
  return shared;
}

export interface Sent {
  uid: number;
  at: number;
  outcome: "ok" | "429" | "403" | "400" | "network";
}

export interface DeliverOptions extends Partial<Omit<BroadcasterOptions, "send" | "rate">> {
  /** the recipients (default 1..n) */
  recipients?: number[];
  /** runs inside each send, after it is logged (a slow Telegram, a stop in the middle) */
  hold?: (uid: number) => Promise<void>;
}

/**
 * Deliver one tip to `n` recipients (ids 1..n unless given) at `rate`; `fail(uid, attempt)` decides
 * a send's fate. Every send is logged with its virtual time since T0.
 */
export async function deliver(
  storage: Storage,
  n: number,
  rate: number,
  fail: (uid: number, attempt: number) => Error | undefined = () => undefined,
  options: DeliverOptions = {},
) {
  const { recipients, hold, ...rest } = options;
  const ids = recipients ?? Array.from({ length: n }, (_, i) => i + 1);
  for (const id of new Set(ids)) await storage.users.put(collector(id, "东区"));
  const log: Sent[] = [];
  const attempts = new Map<number, number>();
  const b = new Broadcaster({
    jobs: storage.jobs,
    users: storage.users,
    logger: silentLogger,
    sleep: virtualSleep,
    ...rest,
    rate,
    send: async (uid) => {
      const attempt = (attempts.get(uid) ?? 0) + 1;
      attempts.set(uid, attempt);
      const err = fail(uid, attempt);
      const outcome =
        err === undefined
          ? "ok"
          : err instanceof GrammyError
            ? (String(err.error_code) as Sent["outcome"])
            : "network";
      log.push({ uid, at: Date.now() - T0, outcome });
      await hold?.(uid);
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
  return { log, report, job, broadcaster: b, ok: log.filter((s) => s.outcome === "ok") };
}
