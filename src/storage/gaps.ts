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
  /** the latest free-text reasons given after 👎 (redacted) */
  notes?: string[];
  lastAt: string;
}

export interface FeedbackTally {
  up: number;
  down: number;
}

const MAX_ITEMS = 500;
const MAX_NOTES = 5;
const teamKey = (team: string | null) => `gaps:${team ?? "_"}`;
const fingerprint = (kind: string, text: string, entryId: string | null) =>
  `${kind}|${entryId ?? ""}|${text.replace(/[\s，。！？,.!?]+/g, "").toLowerCase()}`;

/** Unanswered questions and disliked answers per team, for the training manager (`/gaps`). */
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
    await this.kv.update<Record<string, GapItem>>(teamKey(input.team), (cur) => {
      const items = { ...(cur ?? {}) };
      const prev = items[fp];
      const item: GapItem = prev
        ? { ...prev, count: prev.count + 1, lastAt: input.at.toISOString(), reasons: { ...prev.reasons } }
        : {
            kind: input.kind,
            text: input.text,
            entryId: input.entryId,
            count: 1,
            reasons: {},
            lastAt: input.at.toISOString(),
          };
      if (input.reason) item.reasons[input.reason] = (item.reasons[input.reason] ?? 0) + 1;
      if (input.note) item.notes = [...(prev?.notes ?? []), input.note].slice(-MAX_NOTES);
      items[fp] = item;
      const keys = Object.keys(items);
      if (keys.length > MAX_ITEMS) {
        const drop = keys.sort(
          (a, b) => items[a]!.count - items[b]!.count || items[a]!.lastAt.localeCompare(items[b]!.lastAt),
        );
        for (const k of drop.slice(0, keys.length - MAX_ITEMS)) delete items[k];
      }
      return items;
    });
  }

  /** Most frequent first; team null = every team (admins). */
  async top(teams: Array<string | null>, limit: number): Promise<GapItem[]> {
    const all = await this.kv.getMany<Record<string, GapItem>>(teams.map(teamKey));
    const merged = new Map<string, GapItem>();
    for (const items of all) {
      for (const [fp, it] of Object.entries(items ?? {})) {
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

  async feedback(entryId: string, vote: "up" | "down"): Promise<FeedbackTally> {
    const t = await this.kv.update<FeedbackTally>(`feedback:${entryId}`, (cur) => {
      const n = cur ?? { up: 0, down: 0 };
      return { ...n, [vote]: n[vote] + 1 };
    });
    return t!;
  }
}
