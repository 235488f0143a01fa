import { normalize } from "../text/normalize.ts";

/**
 * Duplicate detection for passages: exact after normalisation (NFKC, case, Traditional →
 * Simplified, punctuation and spaces dropped), and near-duplicate by Jaccard similarity of
 * character bigrams.
 */
export const NEAR_DUPLICATE_THRESHOLD = 0.8;

/** The comparable form of a text: normalised, letters and digits only. */
export function dedupeKey(text: string): string {
  return normalize(text).text.replace(/[^\p{L}\p{N}]/gu, "");
}

export function bigrams(key: string): Set<string> {
  const out = new Set<string>();
  const chars = Array.from(key);
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  if (chars.length === 1) out.add(chars[0]!);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const g of small) if (large.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface DedupeResult<T> {
  kept: T[];
  dropped: { item: T; duplicateOf: T; similarity: number }[];
}

/**
 * Keep the first of every group of duplicates, in order. `seen` are items already kept elsewhere
 * (e.g. another folder's passages): new items that duplicate them are dropped too.
 */
export function dedupe<T>(
  items: T[],
  textOf: (item: T) => string,
  options: { threshold?: number; seen?: T[] } = {},
): DedupeResult<T> {
  const threshold = options.threshold ?? NEAR_DUPLICATE_THRESHOLD;
  const keys = new Map<string, T>();
  const kept: { item: T; grams: Set<string> }[] = [];
  const pool: { item: T; grams: Set<string> }[] = [];
  const remember = (item: T) => {
    const key = dedupeKey(textOf(item));
    if (!keys.has(key)) keys.set(key, item);
    const entry = { item, grams: bigrams(key) };
    pool.push(entry);
    return entry;
  };
  for (const s of options.seen ?? []) remember(s);

  const dropped: DedupeResult<T>["dropped"] = [];
  for (const item of items) {
    const key = dedupeKey(textOf(item));
    const exact = keys.get(key);
    if (exact !== undefined) {
      dropped.push({ item, duplicateOf: exact, similarity: 1 });
      continue;
    }
    const grams = bigrams(key);
    let best: { item: T; similarity: number } | null = null;
    for (const other of pool) {
      const lo = Math.min(grams.size, other.grams.size);
      const hi = Math.max(grams.size, other.grams.size);
      if (hi === 0 || lo / hi < threshold) continue; // Jaccard cannot reach the threshold
      const sim = jaccard(grams, other.grams);
      if (sim >= threshold && (!best || sim > best.similarity)) best = { item: other.item, similarity: sim };
    }
    if (best) {
      dropped.push({ item, duplicateOf: best.item, similarity: Math.round(best.similarity * 1000) / 1000 });
      continue;
    }
    kept.push(remember(item));
  }
  return { kept: kept.map((k) => k.item), dropped };
}
