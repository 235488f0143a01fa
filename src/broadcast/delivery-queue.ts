import { DelayedError, type Job, type JobsOptions, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../bot/logger.ts";

/** What every delivery job needs: who it goes to (the per-chat spacing is keyed on it). */
export interface DeliveryData {
  uid: number;
}

/** A job handler; the token lets it move its own job (back to delayed) while it holds it. */
export type DeliveryHandler = (job: Job<DeliveryData>, token?: string) => Promise<void>;

export interface DeliveryQueueOptions {
  /** a new Redis connection for the given role (the worker's waits out outages, the producer's fails fast) */
  connect: (role: "worker" | "producer") => { connection: Redis; prefix: string };
  /** messages per second over every instance together (Telegram's ~30/s) */
  rate: number;
  logger: Logger;
  /** a worker holds a job this long unless it renews; a dead worker's jobs return after it (default 30 s) */
  lockMs?: number;
  /** how often workers look for jobs whose holder died (default 30 s) */
  stalledIntervalMs?: number;
  /** attempts for network errors before a recipient counts as failed (default 3) */
  attempts?: number;
  /** on shutdown, how long to let the jobs in hand finish before leaving them to another instance (default 10 s) */
  drainMs?: number;
}

export const QUEUE_NAME = "deliveries";

/**
 * Every outgoing broadcast message as one BullMQ job on Redis, shared by all instances: tips (one
 * job per recipient) and the daily push (a job scheduler that fires once per minute slot, then one
 * job per subscriber). Sends are limited by BullMQ's global limiter (one Redis counter for every
 * worker in every process) at one job per 1/rate seconds, so no one-second window holds more
 * than rate + 1; a 429 pauses the whole queue for retry_after; a job whose worker died returns
 * to the queue after its lock expires (stalled-job recovery) and another instance finishes it.
 */
export class DeliveryQueue {
  readonly queue: Queue<DeliveryData>;
  private worker: Worker<DeliveryData> | undefined;
  private workerConnection: Redis | undefined;
  private readonly handlers = new Map<string, { run: DeliveryHandler; perChat: boolean }>();
  private readonly producer: Redis;
  private readonly prefix: string;

  constructor(private readonly o: DeliveryQueueOptions) {
    const { connection, prefix } = o.connect("producer");
    this.producer = connection;
    this.prefix = prefix;
    this.queue = new Queue<DeliveryData>(QUEUE_NAME, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: o.attempts ?? 3,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
    this.queue.on("error", (err) => o.logger.error("delivery queue error", { err }));
  }

  /**
   * The handler for jobs of this name (set before start). perChat: the job sends one message to
   * data.uid, so it waits its turn in that chat (default true).
   */
  handle(name: string, run: DeliveryHandler, { perChat = true } = {}): void {
    this.handlers.set(name, { run, perChat });
  }

  /** Queue jobs; a job id already in the queue is not added twice. */
  async add(jobs: Array<{ name: string; data: DeliveryData; jobId: string; opts?: JobsOptions }>) {
    for (let i = 0; i < jobs.length; i += 500)
      await this.queue.addBulk(
        jobs
          .slice(i, i + 500)
          .map((j) => ({ name: j.name, data: j.data, opts: { ...j.opts, jobId: j.jobId } })),
      );
  }

  /** Start this instance's worker (idempotent). */
  start(): void {
    if (this.worker) return;
    const { connection } = this.o.connect("worker");
    this.workerConnection = connection;
    const spacing = Math.max(1, Math.floor(1000 / this.o.rate));
    this.worker = new Worker<DeliveryData>(
      QUEUE_NAME,
      async (job, token) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`no handler for delivery job ${job.name}`);
        if (handler.perChat && !(await this.chatSlot(job.data.uid))) {
          // this chat got a message less than a second ago: back to the queue, no attempt used
          await job.moveToDelayed(Date.now() + 1000, token);
          throw new DelayedError();
        }
        await handler.run(job, token);
      },
      {
        connection,
        prefix: this.prefix,
        concurrency: Math.max(4, Math.ceil(this.o.rate / 2)),
        limiter: { max: 1, duration: spacing },
        lockDuration: this.o.lockMs ?? 30_000,
        stalledInterval: this.o.stalledIntervalMs ?? 30_000,
        maxStalledCount: 2,
      },
    );
    this.worker.on("error", (err) => this.o.logger.error("delivery worker error", { err }));
    this.worker.on("failed", (job, err) =>
      this.o.logger.warn("delivery job failed", { job: job?.id, name: job?.name, err: err.message }),
    );
  }

  /** Hold every send of every instance for ms (a 429's retry_after). */
  pauseAll(ms: number): Promise<void> {
    return this.queue.rateLimit(ms);
  }

  /**
   * One message per chat per second (Telegram's per-chat limit), across instances: true when this
   * chat may get a message now, and books the next second for it.
   */
  async chatSlot(uid: number): Promise<boolean> {
    const ok = await this.producer.set(`${this.prefix}:chat-slot:${uid}`, "1", "PX", 1000, "NX");
    return ok === "OK";
  }

  /** Jobs waiting, delayed or being sent now (the queue depth), not counting the schedulers' next ticks. */
  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts("wait", "active", "delayed", "prioritized");
    const all = Object.values(c).reduce((a, b) => a + b, 0);
    return Math.max(0, all - (await this.queue.getJobSchedulersCount()));
  }

  /** Resolve once no job is waiting, delayed or active (tests, benchmarks, drain on shutdown). */
  async idle(pollMs = 50, timeoutMs = 600_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while ((await this.depth()) > 0) {
      if (Date.now() > until) throw new Error("delivery queue did not drain");
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Graceful stop of this instance's worker: it takes no new job and finishes those it holds, for
   * at most deadlineMs; what is left goes back to the queue for another instance (its lock
   * lapses). The queue itself stays usable for adding jobs.
   */
  async stopWorker(deadlineMs = this.o.drainMs ?? 10_000): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((r) => {
      timer = setTimeout(() => r("timeout"), deadlineMs);
    });
    // pause waits for the jobs in hand; close(true) then stops without waiting any longer
    const outcome = await Promise.race([worker.pause().then(() => "drained" as const), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout")
      this.o.logger.warn("delivery jobs still running at shutdown: left to another instance");
    await worker.close(true);
  }

  /** Stop the worker (gracefully), then close the queue and its connections. */
  async close(deadlineMs = this.o.drainMs ?? 10_000): Promise<void> {
    await this.stopWorker(deadlineMs);
    await this.queue.close();
    for (const c of [this.workerConnection, this.producer]) await c?.quit().catch(() => c.disconnect());
    this.workerConnection = undefined;
  }

  /** kill -9 in tests: drop every connection without finishing or releasing anything. */
  crash(): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.close(true).catch(() => undefined);
    this.workerConnection?.disconnect();
    this.producer.disconnect();
  }
}
