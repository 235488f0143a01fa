import { DelayedError, type Job, type JobsOptions, Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../bot/logger.ts";

/** What every delivery job needs: who it goes to (the per-chat spacing is keyed on it). */
export interface DeliveryData {
  uid: number;
}

/** A job handler; the token lets it move its own job (back to delayed) while it holds it. */
export type DeliveryHandler = (job: Job<DeliveryData>, token?: string) => Promise<void>;

export interface HandlerOptions {
  /** the job sends one message to data.uid, so it waits its turn in that chat (default true) */
  perChat?: boolean;
  /** called once when a job has used up its attempts (to record and report it) */
  onGiveUp?: (job: Job<DeliveryData>, err: Error) => Promise<void>;
}

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
  /**
   * attempts of one job before it is given up (default 10, backoff 1 s doubling: about 8 minutes),
   * so a Redis or network outage delays deliveries rather than dropping them
   */
  attempts?: number;
  /** on shutdown, how long to let the jobs in hand finish before leaving them to another instance (default 10 s) */
  drainMs?: number;
}

export const QUEUE_NAME = "deliveries";

/**
 * The next send slot shared by every instance, on Redis' own clock: returns how long this send
 * waits so that sends are at least ARGV[1] ms apart and none goes out while a 429's retry_after
 * runs (KEYS[2] lives that long), and books the slot after it.
 */
const SEND_SLOT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then at = math.max(at, now + paused) end
redis.call('SET', KEYS[1], at + tonumber(ARGV[1]), 'PX', 60000)
return at - now
`;

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
  private readonly handlers = new Map<string, { run: DeliveryHandler } & HandlerOptions>();
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
        attempts: o.attempts ?? 10,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    });
    this.queue.on("error", (err) => o.logger.error("delivery queue error", { err }));
  }

  /** The handler for jobs of this name (set before start). */
  handle(name: string, run: DeliveryHandler, options: HandlerOptions = {}): void {
    this.handlers.set(name, { ...options, run, perChat: options.perChat ?? true });
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
    this.worker.on("failed", (job, err) => {
      this.o.logger.warn("delivery job failed", { job: job?.id, name: job?.name, err: err.message });
      const giveUp =
        job && job.attemptsMade >= (job.opts.attempts ?? 1) && this.handlers.get(job.name)?.onGiveUp;
      if (giveUp)
        giveUp(job, err).catch((e: unknown) =>
          this.o.logger.error("delivery job given up, not recorded", { job: job.id, err: e }),
        );
    });
  }

  /**
   * Wait for this message's send slot, right before it goes out. The limiter spaces the jobs as
   * they start, but the work between start and send (storage, the guard) varies, most of all on a
   * loaded machine; this spaces the sends themselves, so Telegram never sees more than rate + 1
   * in a second from all instances together.
   */
  async sendSlot(): Promise<void> {
    const wait = (await this.producer.eval(
      SEND_SLOT_LUA,
      2,
      `${this.prefix}:send-slot`,
      `${this.prefix}:send-pause`,
      String(1000 / this.o.rate),
    )) as number;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  /** Hold every send of every instance for ms (a 429's retry_after). */
  async pauseAll(ms: number): Promise<void> {
    // sends already past the limiter wait too (sendSlot), not only the jobs yet to start
    await this.producer.set(`${this.prefix}:send-pause`, "1", "PX", Math.max(1, Math.ceil(ms)));
    await this.queue.rateLimit(ms);
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
}
