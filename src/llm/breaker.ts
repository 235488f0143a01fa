export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  /** consecutive failures that open the circuit */
  failureThreshold: number;
  /** how long an open circuit refuses calls before one trial call is let through */
  cooldownMs: number;
  now?: () => number;
}

/**
 * A circuit breaker: after `failureThreshold` failed calls in a row the endpoint is not called for
 * `cooldownMs` (callers fall back at once); then one trial call decides whether it closes again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialRunning = false;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.failures < this.options.failureThreshold) return "closed";
    return this.now() - this.openedAt >= this.options.cooldownMs ? "half-open" : "open";
  }

  /** May a call go out now? In half-open state only one trial call at a time. */
  allow(): boolean {
    const s = this.state;
    if (s === "closed") return true;
    if (s === "open" || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialRunning = false;
  }

  failure(): void {
    this.trialRunning = false;
    this.failures++;
    if (this.failures >= this.options.failureThreshold) this.openedAt = this.now();
  }
}
