import type { Kv } from "../storage/kv.ts";
import type { RoundState } from "./round.ts";
import type { Scorecard } from "./scorecard.ts";

export interface Tally {
  rounds: number;
  scoreSum: number;
}

/** A finished round as kept in a user's history. */
export interface RoundSummary {
  scenarioId: string;
  code: string;
  difficulty: string;
  outcome: string;
  score: number;
  missed: string[];
  violations: string[];
  endedAt: string;
}

export interface PracticeResults {
  /** scored rounds (abandoned and timed-out rounds are listed but not counted) */
  total: Tally;
  byCode: Record<string, Tally>;
  byScenario: Record<string, Tally>;
  /** the latest rounds, newest last */
  recent: RoundSummary[];
}

export interface Assignment {
  scenarioId: string;
  by: number;
  at: string;
}

export const emptyResults = (): PracticeResults => ({
  total: { rounds: 0, scoreSum: 0 },
  byCode: {},
  byScenario: {},
  recent: [],
});

const RECENT = 30;
/** a round left alone this long is over (the store forgets it a little later) */
export const ROUND_TIMEOUT_MS = 30 * 60_000;
const ROUND_TTL_MS = 7 * 24 * 3600_000;

const add = (t: Tally | undefined, score: number): Tally => ({
  rounds: (t?.rounds ?? 0) + 1,
  scoreSum: (t?.scoreSum ?? 0) + score,
});

export const average = (t: Tally | undefined): number | null =>
  t?.rounds ? Math.round(t.scoreSum / t.rounds) : null;

/** Rounds in progress, results per user and team assignments, in the keyv store. */
export class PracticeStore {
  constructor(private readonly kv: Kv) {}

  getRound(userId: number): Promise<RoundState | undefined> {
    return this.kv.get<RoundState>(`practice:round:${userId}`);
  }

  putRound(userId: number, state: RoundState): Promise<void> {
    return this.kv.set(`practice:round:${userId}`, state, ROUND_TTL_MS);
  }

  async dropRound(userId: number): Promise<void> {
    await this.kv.delete(`practice:round:${userId}`);
  }

  async results(userId: number): Promise<PracticeResults> {
    return (await this.kv.get<PracticeResults>(`practice:results:${userId}`)) ?? emptyResults();
  }

  async resultsOf(userIds: number[]): Promise<PracticeResults[]> {
    const all = await this.kv.getMany<PracticeResults>(userIds.map((id) => `practice:results:${id}`));
    return all.map((r) => r ?? emptyResults());
  }

  /** Keep a finished round; abandoned and timed-out rounds do not count towards the averages. */
  async record(userId: number, card: Scorecard): Promise<PracticeResults> {
    const counts = card.outcome !== "abandoned" && card.outcome !== "timeout";
    const next = await this.kv.update<PracticeResults>(`practice:results:${userId}`, (r) => {
      const cur = r ?? emptyResults();
      const summary: RoundSummary = {
        scenarioId: card.scenarioId,
        code: card.code,
        difficulty: card.difficulty,
        outcome: card.outcome,
        score: card.score,
        missed: card.items.filter((i) => !i.met).map((i) => i.id),
        violations: card.violations.map((v) => v.rule),
        endedAt: card.endedAt,
      };
      return {
        total: counts ? add(cur.total, card.score) : cur.total,
        byCode: counts ? { ...cur.byCode, [card.code]: add(cur.byCode[card.code], card.score) } : cur.byCode,
        byScenario: counts
          ? { ...cur.byScenario, [card.scenarioId]: add(cur.byScenario[card.scenarioId], card.score) }
          : cur.byScenario,
        recent: [...cur.recent, summary].slice(-RECENT),
      };
    });
    return next!;
  }

  assign(team: string, a: Assignment): Promise<void> {
    return this.kv.set(`practice:assigned:${team}`, a);
  }

  assigned(team: string): Promise<Assignment | undefined> {
    return this.kv.get<Assignment>(`practice:assigned:${team}`);
  }
}

/** Excuse codes by practice average, weakest first (codes never practised are not listed). */
export function weakestPracticeCodes(r: PracticeResults, limit = 3): string[] {
  return Object.entries(r.byCode)
    .filter(([, t]) => t.rounds > 0)
    .sort((a, b) => a[1].scoreSum / a[1].rounds - b[1].scoreSum / b[1].rounds)
    .filter(([, t]) => t.scoreSum / t.rounds < 80)
    .slice(0, limit)
    .map(([code]) => code);
}
