import type { Difficulty, LoadedScenario } from "./schema.ts";

export interface PickRequest {
  /** a scenario id or an excuse code */
  target?: string;
  difficulty?: Difficulty;
  /** the collector's weakest codes, weakest first (used when no target is given) */
  weakCodes?: readonly string[];
  /** scenarios played lately (avoided when there is a choice) */
  recent?: readonly string[];
  random?: () => number;
}

/**
 * Choose a scenario: by id, or by code (and difficulty), or from the weakest codes; the ones
 * played lately come last. Undefined when nothing matches.
 */
export function pickScenario(
  scenarios: readonly LoadedScenario[],
  req: PickRequest,
): LoadedScenario | undefined {
  const random = req.random ?? Math.random;
  if (req.target) {
    const exact = scenarios.find((s) => s.id === req.target);
    if (exact) return exact;
  }
  const byDifficulty = (list: readonly LoadedScenario[]) =>
    req.difficulty ? list.filter((s) => s.difficulty === req.difficulty) : list;
  let pool: readonly LoadedScenario[];
  if (req.target) pool = byDifficulty(scenarios.filter((s) => s.code === req.target));
  else {
    const weak = (req.weakCodes ?? []).find((c) => byDifficulty(scenarios).some((s) => s.code === c));
    pool = byDifficulty(weak ? scenarios.filter((s) => s.code === weak) : scenarios);
  }
  if (!pool.length) return undefined;
  const recent = new Set(req.recent ?? []);
  const fresh = pool.filter((s) => !recent.has(s.id));
  const from = fresh.length ? fresh : pool;
  return from[Math.floor(random() * from.length)];
}
