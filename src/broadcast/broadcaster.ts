import { randomBytes } from "node:crypto";
import type { Logger } from "../bot/logger.ts";
import type { Clock } from "../scheduler/time.ts";
import {
  type DeliveryReport,
  type DeliveryStatus,
  type JobRepo,
  newTipJob,
  notSentYet,
  type TipJob,
} from "../storage/jobs.ts";
import type { UserRepo } from "../storage/users.ts";
import { classifySendError, errorText } from "./send-outcome.ts";
import type { SendFn, TipDelivery } from "./tip-delivery.ts";

export type { SendFn } from "./tip-delivery.ts";

export interface BroadcasterOptions {
  jobs: JobRepo;
  users: UserRepo;
  send: SendFn;
  /** messages per second over all chats */
  rate: number;
  logger: Logger;
  clock?: Clock;
  /** called once a job has finished (delivery report to the sender) */
  onDone?: (job: TipJob, report: DeliveryReport) => Promise<void>;
  /** attempts for network errors before a recipient counts as failed */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** a runner holds a job this long unless it renews (default 30 s) */
  leaseMs?: number;
  /** wait for a send slot in the budget all instances share (resolves when this send may go) */
  sharedSlot?: () => Promise<void>;
}

const PER_CHAT_SPACING_MS = 1000;
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Pending {
  uid: number;
  notBefore: number;
  attempts: number;
}

/**
 * Durable tip delivery. Each recipient's status is written before its message goes out
 * ("inflight") and after ("sent", "failed", "inactive"), so a job resumed after a restart skips
 * everyone already served and never sends twice; a recipient caught in flight by a hard crash is
 * reported as "unknown" rather than risk a duplicate. Sends are paced to a global rate with a
 * small burst allowance; 429 pauses everything for retry_after; 403 marks the user inactive.
 */
export class Broadcaster implements TipDelivery {
  private readonly running = new Map<string, Promise<DeliveryReport | undefined>>();
  private stopping = false;
  private watcher: ReturnType<typeof setInterval> | undefined;
  /** this runner's lease holder id (one per process and bot) */
  private readonly owner = randomBytes(8).toString("hex");
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: BroadcasterOptions) {
    this.clock = o.clock ?? { now: () => new Date() };
    this.sleep = o.sleep ?? realSleep;
  }

  /** Create a durable job and start delivering it (resolves once queued). */
  async enqueue(input: Omit<TipJob, "id" | "createdAt" | "status">): Promise<TipJob> {
    const job = newTipJob(input, this.clock.now());
    await this.o.jobs.create(job);
    this.launch(job);
    return job;
  }

  /** Resume every unfinished job nobody else holds (after a restart, or a runner's death). */
  async resumeAll(): Promise<void> {
    for (const job of await this.o.jobs.active()) this.launch(job);
  }

  /** Resume now and then every everyMs: jobs whose runner died are picked up once its lease expires. */
  watch(everyMs = 15_000): void {
    const tick = () =>
      this.resumeAll().catch((err: unknown) => this.o.logger.error("tip jobs not resumed", { err }));
    void tick();
    this.watcher = setInterval(tick, everyMs);
    this.watcher.unref?.();
  }

  /** Resume unfinished jobs now and every 15 s. */
  start(): void {
    this.watch(15_000);
  }

  /** Wait for a job launched by this instance. */
  wait(id: string): Promise<DeliveryReport | undefined> {
    return this.running.get(id) ?? Promise.resolve(undefined);
  }

  /** Stop after the messages in flight; state stays durable for resumeAll. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.watcher) clearInterval(this.watcher);
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(job: TipJob): void {
    if (this.running.has(job.id) || this.stopping) return;
    const p = this.run(job)
      .catch((err: unknown) => {
        this.o.logger.error("tip job failed", { job: job.id, err });
        return undefined;
      })
      .finally(() => this.running.delete(job.id));
    this.running.set(job.id, p);
  }

  /** Deliver a job under its lease (renewed while running), so one instance at a time delivers it. */
  private async run(job: TipJob): Promise<DeliveryReport | undefined> {
    const { jobs, logger } = this.o;
    const leaseMs = this.o.leaseMs ?? 30_000;
    if (!(await jobs.lease(job.id, this.owner, leaseMs))) return undefined;
    const beat = setInterval(() => {
      jobs
        .lease(job.id, this.owner, leaseMs)
        .catch((err: unknown) => logger.warn("tip lease not renewed", { err }));
    }, leaseMs / 3);
    try {
      // finished by another instance since the list was read: nothing to do, no second report
      const fresh = await jobs.get(job.id);
      if (fresh?.status !== "running") return undefined;
      return await this.deliverAll(job);
    } finally {
      clearInterval(beat);
      await jobs.release(job.id, this.owner).catch(() => undefined);
    }
  }

  private async deliverAll(job: TipJob): Promise<DeliveryReport | undefined> {
    const { jobs, logger } = this.o;
    const interval = 1000 / this.o.rate;
    const burst = Math.max(1, Math.floor(this.o.rate / 20)) * interval;
    const maxInFlight = Math.max(4, Math.ceil(this.o.rate / 2));
    const statuses = await jobs.statuses(job.id, job.recipients);
    const queue: Pending[] = [];
    job.recipients.forEach((uid, i) => {
      if (notSentYet(statuses[i])) queue.push({ uid, notBefore: 0, attempts: 0 });
    });
    logger.info("tip job running", { job: job.id, pending: queue.length, total: job.recipients.length });

    const results: Array<[number, DeliveryStatus]> = [];
    const inflight = new Set<Promise<void>>();
    const lastSent = new Map<number, number>();
    let nextSlot = Date.now();
    let pauseUntil = 0;

    const deliver = async (p: Pending): Promise<void> => {
      try {
        await this.o.send(p.uid, job.text);
        lastSent.set(p.uid, Date.now());
        results.push([p.uid, "sent"]);
      } catch (err) {
        const now = Date.now();
        const failure = classifySendError(err);
        if (failure.kind === "rate-limited") {
          pauseUntil = Math.max(pauseUntil, now + failure.ms);
          queue.unshift({
            uid: p.uid,
            notBefore: now + Math.max(failure.ms, PER_CHAT_SPACING_MS),
            attempts: p.attempts,
          });
          results.push([p.uid, "retry"]);
          logger.warn("tip 429, pausing", { job: job.id, retry_after: failure.ms / 1000 });
        } else if (failure.kind === "inactive") {
          await this.o.users.patch(p.uid, (u) => ({ ...u, active: false }));
          results.push([p.uid, "inactive"]);
        } else if (failure.kind === "transient" && p.attempts + 1 < (this.o.maxAttempts ?? 3)) {
          queue.push({ uid: p.uid, notBefore: now + PER_CHAT_SPACING_MS, attempts: p.attempts + 1 });
          results.push([p.uid, "retry"]);
          logger.warn("tip network error, will retry", { job: job.id, err: errorText(err) });
        } else {
          results.push([p.uid, "failed"]);
          logger.warn("tip delivery failed", { job: job.id, err: errorText(err) });
        }
      }
    };

    while (!this.stopping && (queue.length || inflight.size)) {
      const now = Date.now();
      const idx = queue.findIndex((p) => p.notBefore <= now);
      if (idx < 0) {
        // only retries waiting, or answers outstanding
        const soonest = queue.length ? Math.min(...queue.map((p) => p.notBefore)) - now : 50;
        await Promise.race([this.sleep(Math.max(1, Math.min(soonest, 50))), ...inflight]);
        continue;
      }
      const p = queue.splice(idx, 1)[0]!;
      const last = lastSent.get(p.uid);
      if (last !== undefined && now - last < PER_CHAT_SPACING_MS) {
        queue.push({ ...p, notBefore: last + PER_CHAT_SPACING_MS });
        continue;
      }
      // pace: one slot per message, a small burst to absorb timer jitter, global pause on 429
      nextSlot = Math.max(nextSlot, now - burst, pauseUntil);
      if (nextSlot > now) await this.sleep(nextSlot - now);
      nextSlot += interval;
      // and the budget shared by every instance (Redis), so two jobs on two instances stay under it
      if (this.o.sharedSlot) await this.o.sharedSlot();
      if (this.stopping) {
        queue.unshift(p);
        break;
      }
      // bounded in-flight sends (a stalled server must not pile up the whole team)
      while (inflight.size >= maxInFlight) await Promise.race(inflight);
      // a 429 may have come back while this send waited for its slot: nothing goes out inside
      // a retry_after window
      if (Date.now() < pauseUntil) {
        queue.unshift(p);
        continue;
      }
      // durable before sending: earlier results and this recipient in flight, one write
      await jobs.mark(job.id, [...results.splice(0), [p.uid, "inflight"]]);
      const d = deliver(p).finally(() => inflight.delete(d));
      inflight.add(d);
    }
    await Promise.allSettled([...inflight]);
    await jobs.mark(job.id, results.splice(0));
    if (this.stopping && queue.length) {
      logger.info("tip job paused for shutdown", { job: job.id, pending: queue.length });
      return undefined;
    }
    await jobs.finish(job.id, this.clock.now());
    const report = (await jobs.report(job.id))!;
    logger.info("tip job done", { job: job.id, ...report });
    await this.o.onDone?.(job, report);
    return report;
  }
}
