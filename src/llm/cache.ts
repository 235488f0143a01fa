import { createHash } from "node:crypto";

/** Cache key for an LLM result: prompt id and version, model and the exact inputs. */
export function cacheKey(parts: {
  promptId: string;
  version: string;
  model: string;
  inputs: unknown;
}): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** A small LRU cache with a time to live. */
export class LruCache<V> {
  private readonly map = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly max = 500,
    private readonly ttlMs = 24 * 3600_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    if (this.now() - hit.at > this.ttlMs) return undefined;
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, { value, at: this.now() });
  }
}
