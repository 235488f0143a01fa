import { Cron } from "croner";
import type { Logger } from "../bot/logger.ts";
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
}

/** Is a push due for this user at `now`: subscribed, the time has come today, not yet pushed today. */
export function isDue(user: User, now: Date, timeZone: string): boolean {
  if (!user.daily.enabled || !user.active) return false;
  const local = localTime(now, timeZone);
  return local.time >= user.daily.time && user.daily.lastPushDate !== local.date;
}

/**
 * Daily quiz pushes. A cron job (croner, every minute in the team's zone) runs `tick`, which sends
 * every push that is due today and not yet sent. Starting runs one tick at once, so pushes missed
 * during downtime go out once; the day is claimed in storage before sending (an atomic claim
 * shared by every instance), so never twice.
 */
export class DailyPush {
  private cron: Cron | undefined;
  private ticking: Promise<number> | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: DailyPushOptions) {
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Send the pushes due now; returns how many went out. Overlapping calls share one run. */
  tick(): Promise<number> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async runTick(): Promise<number> {
    const { users, clock, timeZone, logger } = this.o;
    const now = clock.now();
    const today = localTime(now, timeZone).date;
    let sent = 0;
    for (const u of await users.list()) {
      if (!isDue(u, now, timeZone)) continue;
      // claim the day first (SET NX across instances): a crash after this point loses at most this
      // push, never doubles it
      if (!(await users.claimDaily(u.id, today))) continue;
      const claimed = await users.patch(u.id, (x) => ({ ...x, daily: { ...x.daily, lastPushDate: today } }));
      // fresh read: /daily off or a removal on another instance since the list was read wins
      if (!claimed?.daily.enabled || !claimed.active) continue;
      try {
        if (await this.o.push(claimed)) sent++;
      } catch (err) {
        logger.warn("daily push failed", {
          user: u.id,
          err: err instanceof Error ? err.message : String(err),
        });
      }
      await this.sleep(1000 / this.o.rate);
    }
    if (sent) logger.info("daily pushes sent", { sent, date: today });
    return sent;
  }

  start(): void {
    this.cron = new Cron("* * * * *", { timezone: this.o.timeZone, protect: true }, async () => {
      await this.tick();
    });
    void this.tick();
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    await this.ticking;
  }
}
