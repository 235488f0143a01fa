import { type Job, RateLimitError } from "bullmq";
import type { Logger } from "../bot/logger.ts";
import type { Clock } from "../scheduler/time.ts";
import { type DeliveryReport, type JobRepo, newTipJob, notSentYet, type TipJob } from "../storage/jobs.ts";
import type { UserRepo } from "../storage/users.ts";
import type { DeliveryData, DeliveryQueue } from "./delivery-queue.ts";
import { classifySendError, errorText } from "./send-outcome.ts";
import type { SendFn, TipDelivery } from "./tip-delivery.ts";

export interface QueuedBroadcasterOptions {
  queue: DeliveryQueue;
  jobs: JobRepo;
  users: UserRepo;
  send: SendFn;
  logger: Logger;
  clock?: Clock;
  /** called once per job, by the instance that settled its last recipient (report to the sender) */
  onDone?: (job: TipJob, report: DeliveryReport) => Promise<void>;
  /** attempts for network errors before a recipient counts as failed (default 3) */
  sendAttempts?: number;
}

interface TipData extends DeliveryData {
  job: string;
}

/** BullMQ ids allow a colon only as two separators: tip:<job>:<user>, as the ops runbook names them. */
export const tipJobId = (job: string, uid: number) => `tip:${job}:${uid}`;

/**
 * Tips on the shared delivery queue: one BullMQ job per recipient, worked by every instance.
 * Each recipient's send is claimed in storage before it goes out ("inflight"), so a job run a
 * second time (redelivered after its worker died) never sends twice: a claim found in flight is
 * settled as "unknown". The last recipient to settle, on whichever instance, finishes the job and
 * reports to the sender once.
 */
export class QueuedBroadcaster implements TipDelivery {
  private readonly clock: Clock;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly o: QueuedBroadcasterOptions) {
    this.clock = o.clock ?? { now: () => new Date() };
    o.queue.handle("tip", (job) => this.deliverOne(job as Job<TipData>), {
      onGiveUp: (job) => this.giveUp(job as Job<TipData>),
    });
  }

  async enqueue(input: Omit<TipJob, "id" | "createdAt" | "status">): Promise<TipJob> {
    const job = newTipJob(input, this.clock.now());
    await this.o.jobs.create(job);
    if (!job.recipients.length) await this.complete(job);
    else await this.queueRecipients(job, job.recipients);
    this.o.logger.info("tip job queued", { job: job.id, total: job.recipients.length });
    return job;
  }

  /**
   * Poll storage until the job is finished (by any instance), then its report; once this instance
   * stops, undefined after the sends it held are done.
   */
  async wait(id: string, pollMs = 100): Promise<DeliveryReport | undefined> {
    while (!this.stopped) {
      const job = await this.o.jobs.get(id);
      if (!job) return undefined;
      if (job.status === "done") return this.o.jobs.report(id);
      await new Promise((r) => setTimeout(r, pollMs));
    }
    await this.stopping;
    return undefined;
  }

  /** Work the queue, and put back any recipient of an unfinished job the queue no longer holds. */
  start(): void {
    this.resumeAll().catch((err: unknown) => this.o.logger.error("tip jobs not resumed", { err }));
  }

  /**
   * Work the queue now. The queue keeps unfinished jobs by itself; this also re-queues the
   * recipients of unfinished jobs it no longer holds (a job stored by the embedded path before the
   * switch to Redis, queue keys lost): ids already queued are not added twice, and a recipient
   * already served is only settled, never sent again.
   */
  async resumeAll(): Promise<void> {
    this.stopped = false;
    this.o.queue.start();
    for (const tip of await this.o.jobs.active()) {
      const statuses = await this.o.jobs.statuses(tip.id, tip.recipients);
      const isOpen = (i: number) => notSentYet(statuses[i]) || statuses[i] === "inflight";
      const open = tip.recipients.filter((_, i) => isOpen(i));
      // those served already count as settled (a job from the embedded path never settled them);
      // when nothing is open, this also reports a job whose reporter died
      let last = !tip.recipients.length;
      for (const [i, uid] of tip.recipients.entries())
        if (!isOpen(i) && (await this.o.jobs.settle(tip, uid))) last = true;
      if (last) await this.complete(tip);
      else if (open.length) await this.queueRecipients(tip, open);
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.stopping = this.o.queue.close();
    return this.stopping;
  }

  private queueRecipients(tip: TipJob, uids: number[]): Promise<void> {
    return this.o.queue.add(
      uids.map((uid) => ({ name: "tip", data: { uid, job: tip.id }, jobId: tipJobId(tip.id, uid) })),
    );
  }

  private async deliverOne(job: Job<TipData>): Promise<void> {
    const { jobs } = this.o;
    const { job: id, uid } = job.data;
    const tip = await jobs.get(id);
    if (!tip || tip.status === "done") return;
    const status = await jobs.status(id, uid);
    if (status === "inflight") {
      // claimed by a worker that died mid-send: it may have gone out, so it is not sent again
      await jobs.mark(id, [[uid, "unknown"]]);
    } else if (notSentYet(status)) {
      // the send's turn first: a Redis fault while waiting for it leaves nothing "in flight"
      await this.o.queue.sendSlot();
      if (await jobs.claimSend(id, uid)) await this.sendClaimed(job, tip);
    }
    if (await jobs.settle(tip, uid)) await this.complete(tip);
  }

  /** Send one claimed message and record what happened; throws when the job should run again. */
  private async sendClaimed(job: Job<TipData>, tip: TipJob): Promise<void> {
    const { job: id, uid } = job.data;
    try {
      await this.o.send(uid, tip.text);
    } catch (err) {
      await this.sendFailed(job, err);
      return;
    }
    // outside the try: a store fault here is no send failure (the message went out); the job runs
    // again and finds the claim in flight, so it is counted "unknown", never sent twice
    await this.o.jobs.mark(id, [[uid, "sent"]]);
  }

  /** Record a failed send; throws when the job should run again (429, network). */
  private async sendFailed(job: Job<TipData>, err: unknown): Promise<void> {
    const { jobs, logger } = this.o;
    const { job: id, uid } = job.data;
    const failure = classifySendError(err);
    if (failure.kind === "rate-limited") {
      // every instance holds its sends for retry_after; this one goes back to the queue
      await jobs.mark(id, [[uid, "retry"]]);
      logger.warn("tip 429, pausing every instance", { job: id, retry_after: failure.ms / 1000 });
      await this.o.queue.pauseAll(failure.ms);
      throw new RateLimitError();
    }
    if (failure.kind === "transient" && job.attemptsMade + 1 < (this.o.sendAttempts ?? 3)) {
      await jobs.mark(id, [[uid, "retry"]]);
      logger.warn("tip network error, will retry", { job: id, err: errorText(err) });
      throw err;
    }
    if (failure.kind === "inactive") await this.o.users.patch(uid, (u) => ({ ...u, active: false }));
    else logger.warn("tip delivery failed", { job: id, err: errorText(err) });
    await jobs.mark(id, [[uid, failure.kind === "inactive" ? "inactive" : "failed"]]);
  }

  /** A recipient whose job used up its attempts (storage down all along): failed, and settled. */
  private async giveUp(job: Job<TipData>): Promise<void> {
    const { job: id, uid } = job.data;
    const tip = await this.o.jobs.get(id);
    if (!tip) return;
    const status = await this.o.jobs.status(id, uid);
    // in flight when the trouble began: it may have gone out
    await this.o.jobs.mark(id, [[uid, status === "inflight" ? "unknown" : "failed"]]);
    if (await this.o.jobs.settle(tip, uid)) await this.complete(tip);
  }

  private async complete(tip: TipJob): Promise<void> {
    await this.o.jobs.finish(tip.id, this.clock.now());
    const report = (await this.o.jobs.report(tip.id))!;
    this.o.logger.info("tip job done", { job: tip.id, ...report });
    await this.o.onDone?.(tip, report);
  }
}
