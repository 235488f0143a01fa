import { type Job, RateLimitError } from "bullmq";
import { Cron } from "croner";
import type { Logger } from "../bot/logger.ts";
import type { DeliveryData, DeliveryQueue } from "../broadcast/delivery-queue.ts";
import { classifySendError, errorText } from "../broadcast/send-outcome.ts";
import type { User, UserRepo } from "../storage/users.ts";
import { type Clock, localTime } from "./time.ts";

export interface DailyPushOptions {
  users: UserRepo;
  clock: Clock;
  timeZone: string;
  /** deliver one push; false when it could not be sent */
  push: (user: User) => Promise<boolean>;
  logger: Logger;
  /** messages per second for pushes (the Telegram limit) */
  rate: number;
  sleep?: (ms: number) => Promise<void>;
  /** several instances (Redis): pushes go through the shared delivery queue */
  queue?: DeliveryQueue;
}

interface DailyData extends DeliveryData {
  date: string;
}

/** Is a push due for this user at `now`: subscribed, the time has come today, not yet pushed today. */
export function isDue(user: User, now: Date, timeZone: string): boolean {
  if (!user.daily.enabled || !user.active) return false;
  const local = localTime(now, timeZone);
  return local.time >= user.daily.time && user.daily.lastPushDate !== local.date;
}

/**
 * Daily quiz pushes. Every minute (in the team's zone) `tick` finds the pushes due today and not
 * yet sent. Each push claims the user's day in storage before sending (SET NX across instances),
 * so it never goes out twice. One process: a croner job ticks and sends at the configured rate;
 * starting runs one tick at once, so pushes missed during downtime go out. Several instances: a
 * BullMQ job scheduler fires one tick per minute slot for all of them, and each push is a job on
 * the shared delivery queue (its global limiter, per-chat spacing, 429 pause).
 */
export class DailyPush {
  private cron: Cron | undefined;
  private ticking: Promise<number> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: DailyPushOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    o.queue?.handle("daily", (job) => this.deliverQueued(job as Job<DailyData>));
    o.queue?.handle("daily-tick", async () => void (await this.tick()), { perChat: false });
  }

  /**
   * Send (one process) or queue (several) the pushes due now; returns how many went out, or with a
   * queue how many are due (a push already queued today is not queued again: its job id is the
   * user's day). Overlapping calls share one run.
   */
  tick(): Promise<number> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    const { users, clock, timeZone, logger, queue } = this.o;
    const now = clock.now();
    const today = localTime(now, timeZone).date;
    const due = (await users.list()).filter((u) => isDue(u, now, timeZone));
    if (queue) {
      await queue.add(
        due.map((u) => ({
          name: "daily",
          data: { uid: u.id, date: today },
          jobId: `daily:${today}:${u.id}`,
        })),
      );
      return due.length;
    }
    let sent = 0;
    for (const u of due) {
      const outcome = await this.pushOnce(u.id, today).catch((err: unknown) => {
        logger.warn("daily push failed", { user: u.id, err: errorText(err) });
        return "failed" as const;
      });
      if (outcome === "sent") sent++;
      if (outcome !== "skipped") await this.sleep(1000 / this.o.rate);
    }
    if (sent) logger.info("daily pushes sent", { sent, date: today });
    return sent;
  }

  /**
   * Claim the user's day first (SET NX across instances): a crash after this point loses at most
   * this push, never doubles it. A fresh read then honours /daily off or a removal on another
   * instance since the list was read.
   */
  private async pushOnce(uid: number, today: string): Promise<"sent" | "failed" | "skipped"> {
    const { users } = this.o;
    if (!(await users.claimDaily(uid, today))) return "skipped";
    const claimed = await users.patch(uid, (x) => ({ ...x, daily: { ...x.daily, lastPushDate: today } }));
    if (!claimed?.daily.enabled || !claimed.active) return "skipped";
    await this.o.queue?.sendSlot();
    return (await this.o.push(claimed)) ? "sent" : "failed";
  }

  private async deliverQueued(job: Job<DailyData>): Promise<void> {
    const { uid, date } = job.data;
    try {
      await this.pushOnce(uid, date);
    } catch (err) {
      const failure = classifySendError(err);
      if (failure.kind === "refused" || failure.kind === "inactive") {
        this.o.logger.warn("daily push failed", { user: uid, err: errorText(err) });
        return;
      }
      // 429, network or storage trouble: the push gives its day back and is tried again
      await this.o.users.releaseDaily(uid, date).catch(() => undefined);
      if (failure.kind === "rate-limited") {
        // every instance holds its sends for retry_after; no attempt is used up
        await this.o.queue!.pauseAll(failure.ms);
        throw new RateLimitError();
      }
      throw err;
    }
  }

  async start(): Promise<void> {
    const { queue, timeZone } = this.o;
    if (queue) {
      // one scheduler for every instance (upsert by id): one tick per minute slot in all
      await queue.queue.upsertJobScheduler(
        "daily-push",
        { pattern: "0 * * * * *", tz: timeZone },
        { name: "daily-tick", data: { uid: 0 } },
      );
      queue.start();
      return;
    }
    this.cron = new Cron("* * * * *", { timezone: timeZone, protect: true }, async () => {
      await this.tick();
    });
    void this.tick();
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    await this.ticking;
  }
}
