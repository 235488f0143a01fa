/**
 * A small Prometheus registry (text exposition format 0.0.4): counters with labels, one latency
 * histogram, and gauges read when scraped. One per process; /metrics serves `render()`.
 */
type Labels = Record<string, string>;

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const labelText = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
};

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => Promise<number> }>();
  private readonly latency = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };

  constructor() {
    this.counter("coach_updates_total", "Telegram updates handled, by outcome");
    this.counter(
      "coach_update_errors_total",
      "Updates that failed (the user was asked to try again), by kind",
    );
    this.counter("coach_guard_blocks_total", "Outgoing texts the compliance guard replaced");
    this.counter("coach_deliveries_total", "Tip and daily deliveries, by kind and result");
    this.counter("coach_storage_errors_total", "Failed storage operations, by operation and fault");
  }

  counter(name: string, help: string): void {
    if (!this.counters.has(name)) this.counters.set(name, { help, values: new Map() });
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const c = this.counters.get(name);
    if (!c) throw new Error(`unknown metric ${name}`);
    const k = labelText(labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  /** Update handling time in seconds. */
  observe(seconds: number): void {
    this.latency.count++;
    this.latency.sum += seconds;
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) this.latency.buckets[i]!++;
    });
  }

  gauge(name: string, help: string, read: () => Promise<number>): void {
    this.gauges.set(name, { help, read });
  }

  value(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(labelText(labels)) ?? 0;
  }

  /** Sum over every label set of a counter. */
  total(name: string): number {
    return [...(this.counters.get(name)?.values.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      if (!c.values.size) out.push(`${name} 0`);
      for (const [l, v] of c.values) out.push(`${name}${l} ${v}`);
    }
    const h = "coach_update_duration_seconds";
    out.push(`# HELP ${h} Time to handle one update`, `# TYPE ${h} histogram`);
    BUCKETS.forEach((b, i) => {
      out.push(`${h}_bucket{le="${b}"} ${this.latency.buckets[i]}`);
    });
    out.push(
      `${h}_bucket{le="+Inf"} ${this.latency.count}`,
      `${h}_sum ${this.latency.sum}`,
      `${h}_count ${this.latency.count}`,
    );
    for (const [name, g] of this.gauges) {
      const v = await g.read().catch(() => Number.NaN);
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${v}`);
    }
    return `${out.join("\n")}\n`;
  }
}
