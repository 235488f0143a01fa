import type { Entry } from "../knowledge/schema.ts";
import { detectMoves } from "./moves.ts";
import type { RoundOutcome, RoundState, ViolationNote } from "./round.ts";
import type { Difficulty, LoadedScenario, RubricItem, Templates } from "./schema.ts";

export interface ScoredItem {
  id: string;
  label: string;
  met: boolean;
}

export interface Scorecard {
  scenarioId: string;
  code: string;
  difficulty: Difficulty;
  title: string;
  outcome: RoundOutcome;
  /** 0–100: share of rubric items met; 0 after a blocking violation */
  score: number;
  items: ScoredItem[];
  violations: ViolationNote[];
  /** for each missed item, the entry's recommended phrasings */
  advice: Array<{ item: string; phrasings: string[] }>;
  replies: number;
  endedAt: string;
}

const MAX_PHRASINGS = 2;

/** The entry's example phrasings that show a move (its steps when no phrasing does). */
export function phrasingsFor(move: string, entry: Entry | undefined, templates: Templates): string[] {
  if (!entry) return [];
  const shows = (s: string) => detectMoves(s, templates).includes(move);
  const say = entry.say.filter(shows);
  return say.length ? say : entry.steps.filter(shows).slice(0, 1);
}

/** Advice for the missed items: phrasings shared out so that each item gets its own first. */
function adviceFor(missed: RubricItem[], entry: Entry | undefined, templates: Templates) {
  const candidates = missed.map((item) => (item.avoid ? [] : phrasingsFor(item.move, entry, templates)));
  const chosen: string[][] = missed.map(() => []);
  const used = new Set<string>();
  for (let round = 0; round < MAX_PHRASINGS; round++)
    candidates.forEach((list, i) => {
      const next = list.find((p) => !used.has(p));
      if (next) {
        chosen[i]!.push(next);
        used.add(next);
      }
    });
  return missed.map((item, i) => {
    let phrasings = chosen[i]!;
    if (!phrasings.length && item.example) phrasings = [item.example];
    if (!phrasings.length && entry) phrasings = entry.say.filter((s) => !used.has(s)).slice(0, 1);
    return { item: item.label, phrasings };
  });
}

export function buildScorecard(input: {
  scenario: LoadedScenario;
  state: RoundState;
  outcome: RoundOutcome;
  templates: Templates;
  entry: Entry | undefined;
  violations: ViolationNote[];
}): Scorecard {
  const { scenario, state, outcome, templates, entry, violations } = input;
  const seen = new Set(state.history.flat());
  const blocked = violations.some((v) => v.severity === "block");
  const items = scenario.rubric.map((id) => {
    const item = templates.rubric[id]!;
    const shown = seen.has(item.move);
    // an item to avoid is met only when the collector said something, never showed it and broke no rule
    const met = item.avoid ? !shown && state.history.length > 0 && !blocked : shown;
    return { id, label: item.label, met };
  });
  const score =
    blocked || !items.length ? 0 : Math.round((100 * items.filter((i) => i.met).length) / items.length);
  const advice = adviceFor(
    items.filter((i) => !i.met).map((i) => templates.rubric[i.id]!),
    entry,
    templates,
  );
  return {
    scenarioId: scenario.id,
    code: scenario.code,
    difficulty: scenario.difficulty,
    title: scenario.title,
    outcome,
    score,
    items,
    violations,
    advice,
    replies: state.history.length,
    endedAt: state.lastAt,
  };
}
