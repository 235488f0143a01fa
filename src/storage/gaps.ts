import type { Kv } from "./kv.ts";

export const DISLIKE_REASONS = ["wrong", "irrelevant", "unclear", "noncompliant"] as const;
export type DislikeReason = (typeof DISLIKE_REASONS)[number];

export interface GapItem {
  kind: "unanswered" | "disliked";
  /** the question, already redacted */
  text: string;
  entryId: string | null;
  count: number;
  reasons: Partial<Record<DislikeReason, number>>;
  lastAt: string;
  /** the latest free-text reasons given after 👎 (redacted) */
  notes?: string[];
}

export interface FeedbackTally {
  up: number;
  down: number;
}

const MAX_ITEMS = 500;
const MAX_NOTES = 5;
const team = (t: string | null) => t ?? "_";
/** gaps:<team> was one JSON object per team before counts became atomic; still read */
const legacyKey = (t: string | null) => `gaps:${team(t)}`;
const countKey = (t: string | null) => `gaps:${team(t)}:count`;
const reasonKey = (t: string | null) => `gaps:${team(t)}:reasons`;
const itemKey = (t: string | null) => `gaps:${team(t)}:items`;
const notesKey = (t: string | null, fp: string) => `gaps:${team(t)}:notes:${fp}`;
const fingerprint = (kind: string, text: string, entryId: string | null) =>
  `${kind}|${entryId ?? ""}|${text.replace(/[\s，。！？,.!?]+/g, "").toLowerCase()}`;

type ItemMeta = Pick<GapItem, "kind" | "text" | "entryId" | "lastAt">;

/**
 * Unanswered questions and disliked answers per team, for the training manager (`/gaps`).
 * Counts are atomic hash increments (exact with any number of instances); the item's text and
 * last time are a plain field write (last writer wins, which is what they mean).
 */
export class GapRepo {
  constructor(private readonly kv: Kv) {}

  async record(input: {
    team: string | null;
    kind: GapItem["kind"];
    text: string;
    entryId: string | null;
    reason?: DislikeReason;
    /** a free-text reason (already redacted) */
    note?: string;
    at: Date;
  }): Promise<void> {
    const fp = fingerprint(input.kind, input.text, input.entryId);
    const meta: ItemMeta = {
      kind: input.kind,
      text: input.text,
      entryId: input.entryId,
      lastAt: input.at.toISOString(),
    };
    await this.kv.hset(itemKey(input.team), fp, JSON.stringify(meta));
    const n = await this.kv.hincr(countKey(input.team), fp, 1);
    if (input.reason) await this.kv.hincr(reasonKey(input.team), `${fp}\u0000${input.reason}`, 1);
    const note = input.note;
    if (note)
      await this.kv.update<string[]>(notesKey(input.team, fp), (cur) =>
        [...(cur ?? []), note].slice(-MAX_NOTES),
      );
    if (n === 1) await this.prune(input.team);
  }

  /** Keep the most frequent MAX_ITEMS per team (checked when a new item appears). */
  private async prune(t: string | null): Promise<void> {
    const counts = await this.kv.hgetall(countKey(t));
    const fps = Object.keys(counts);
    if (fps.length <= MAX_ITEMS * 1.1) return;
    const drop = fps.sort((a, b) => Number(counts[a]) - Number(counts[b])).slice(0, fps.length - MAX_ITEMS);
    await this.kv.hdel(countKey(t), drop);
    await this.kv.hdel(itemKey(t), drop);
    for (const fp of drop) await this.kv.delete(notesKey(t, fp));
    const reasons = Object.keys(await this.kv.hgetall(reasonKey(t)));
    const dropped = new Set(drop);
    await this.kv.hdel(
      reasonKey(t),
      reasons.filter((r) => dropped.has(r.split("\u0000")[0]!)),
    );
  }

  private async teamItems(t: string | null): Promise<Map<string, GapItem>> {
    const [counts, items, reasons, legacy] = await Promise.all([
      this.kv.hgetall(countKey(t)),
      this.kv.hgetall(itemKey(t)),
      this.kv.hgetall(reasonKey(t)),
      this.kv.get<Record<string, GapItem>>(legacyKey(t)),
    ]);
    const out = new Map<string, GapItem>(Object.entries(legacy ?? {}));
    for (const [fp, n] of Object.entries(counts)) {
      const meta = items[fp] ? (JSON.parse(items[fp]) as ItemMeta) : undefined;
      if (!meta) continue;
      const prev = out.get(fp);
      out.set(fp, {
        ...meta,
        count: Number(n) + (prev?.count ?? 0),
        reasons: { ...(prev?.reasons ?? {}) },
        ...(prev?.notes ? { notes: prev.notes } : {}),
      });
    }
    const fps = Object.keys(counts).filter((fp) => out.has(fp));
    const notes = await this.kv.getMany<string[]>(fps.map((fp) => notesKey(t, fp)));
    fps.forEach((fp, i) => {
      const it = out.get(fp)!;
      if (notes[i]?.length) it.notes = [...(it.notes ?? []), ...notes[i]!].slice(-MAX_NOTES);
    });
    for (const [k, n] of Object.entries(reasons)) {
      const [fp, reason] = k.split("\u0000") as [string, DislikeReason];
      const it = out.get(fp);
      if (it) it.reasons[reason] = (it.reasons[reason] ?? 0) + Number(n);
    }
    return out;
  }

  /** Most frequent first; team null = every team (admins). */
  async top(teams: Array<string | null>, limit: number): Promise<GapItem[]> {
    const merged = new Map<string, GapItem>();
    for (const t of teams) {
      for (const [fp, it] of await this.teamItems(t)) {
        const prev = merged.get(fp);
        merged.set(
          fp,
          prev
            ? { ...prev, count: prev.count + it.count, notes: [...(prev.notes ?? []), ...(it.notes ?? [])] }
            : it,
        );
      }
    }
    return [...merged.values()]
      .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt))
      .slice(0, limit);
  }

  /** Count a 👍/👎 for an entry (atomic); returns the tally after this vote. */
  async feedback(entryId: string, vote: "up" | "down"): Promise<FeedbackTally> {
    const legacy = await this.kv.get<FeedbackTally>(`feedback:${entryId}`);
    await this.kv.hincr(`feedback:${entryId}:votes`, vote, 1);
    const h = await this.kv.hgetall(`feedback:${entryId}:votes`);
    return {
      up: Number(h.up ?? 0) + (legacy?.up ?? 0),
      down: Number(h.down ?? 0) + (legacy?.down ?? 0),
    };
  }
}
