import type { Kv } from "../storage/kv.ts";

const KEEP_MS = 36 * 3600_000;

/**
 * Per-user daily LLM request budget: `take(user)` spends one request and says whether the user
 * still had one today. Days follow the given time zone. With a store (the bot's SQLite or Redis)
 * the counts survive a restart; without one (the command line) they live in memory.
 */
export class DailyBudget {
  private readonly memory = new Map<string, number>();
  private readonly dayOf: Intl.DateTimeFormat;

  constructor(
    private readonly perUser: number,
    private readonly now: () => Date = () => new Date(),
    timeZone = "Asia/Shanghai",
    private readonly kv?: Kv,
  ) {
    this.dayOf = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  }

  /** Does the user have a request left today (nothing spent)? */
  async has(user: string): Promise<boolean> {
    const key = this.key(user);
    const used = this.kv ? await this.kv.get<number>(key) : this.memory.get(key);
    return (used ?? 0) < this.perUser;
  }

  async take(user: string): Promise<boolean> {
    const key = this.key(user);
    let allowed = false;
    const spend = (used: number | undefined) => {
      allowed = (used ?? 0) < this.perUser;
      return allowed ? (used ?? 0) + 1 : (used ?? 0);
    };
    if (this.kv) await this.kv.update<number>(key, spend, KEEP_MS);
    else {
      if (this.memory.size > 10_000) this.memory.clear(); // old days' keys
      this.memory.set(key, spend(this.memory.get(key)));
    }
    return allowed;
  }

  private key(user: string): string {
    return `llm-budget:${this.dayOf.format(this.now())}:${user}`;
  }
}
