/** Small helpers for benchmark figures. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function timeEach<T>(items: T[], f: (x: T) => unknown): number[] {
  const out: number[] = [];
  for (const x of items) {
    const t = performance.now();
    f(x);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export const ms = (x: number) => `${x.toFixed(3)} ms`;
