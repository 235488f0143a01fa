/**
 * Per-user daily LLM request budget (in memory, per process): `take(user)` spends one request and
 * says whether the user still had one today. Days follow the given time zone.
 */
export class DailyBudget {
  private readonly spent = new Map<string, number>();
  private day = "";
  private readonly dayOf: Intl.DateTimeFormat;

  constructor(
    private readonly perUser: number,
    private readonly now: () => Date = () => new Date(),
    timeZone = "Asia/Shanghai",
  ) {
    this.dayOf = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  }

  /** Does the user have a request left today (nothing spent)? */
  has(user: string): boolean {
    this.rollOver();
    return (this.spent.get(user) ?? 0) < this.perUser;
  }

  take(user: string): boolean {
    if (!this.has(user)) return false;
    this.spent.set(user, (this.spent.get(user) ?? 0) + 1);
    return true;
  }

  private rollOver(): void {
    const today = this.dayOf.format(this.now());
    if (today !== this.day) {
      this.day = today;
      this.spent.clear();
    }
  }
}
