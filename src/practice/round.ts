import type { Violation } from "../compliance/engine.ts";
import type { Entry } from "../knowledge/schema.ts";
import type { Difficulty, LoadedScenario, Templates } from "./schema.ts";
import { buildScorecard, type Scorecard } from "./scorecard.ts";
import type { ComplianceChecker, DebtorEnd, DebtorPersona, Grader } from "./seams.ts";
import { THREAT_MOVE } from "./seams.ts";

/** A round in progress: plain JSON, kept in the store so that it survives a restart. */
export interface RoundState {
  scenarioId: string;
  code: string;
  difficulty: Difficulty;
  /** next turn the debtor answers with */
  turn: number;
  threats: number;
  /** moves of each collector reply */
  history: string[][];
  /** warn-level findings so far (the round goes on) */
  warnings: ViolationNote[];
  startedAt: string;
  lastAt: string;
}

export interface ViolationNote {
  rule: string;
  category: string;
  severity: "warn" | "block";
  explanation: string;
  basis: string;
  suggestion: string | null;
}

export type RoundOutcome = DebtorEnd | "violation" | "abandoned" | "timeout";

export interface RoundStep {
  state: RoundState;
  /** the debtor's line (absent when a violation ended the round) */
  line?: string;
  /** set when the round is over */
  scorecard?: Scorecard;
}

export interface RoundDeps {
  templates: Templates;
  engine: ComplianceChecker;
  grader: Grader;
  persona: DebtorPersona;
  entry: Entry | undefined;
}

export function startRound(scenario: LoadedScenario, now: Date): { state: RoundState; line: string } {
  const at = now.toISOString();
  return {
    state: {
      scenarioId: scenario.id,
      code: scenario.code,
      difficulty: scenario.difficulty,
      turn: 0,
      threats: 0,
      history: [],
      warnings: [],
      startedAt: at,
      lastAt: at,
    },
    line: scenario.opening,
  };
}

/** a finding of the learned layer rather than of a rule */
const isLearned = (v: Violation) => v.confidence !== undefined;

const note = (v: Violation, suggestion: string | null): ViolationNote => ({
  rule: v.rule,
  category: v.category,
  severity: v.severity === "block" && !isLearned(v) ? "block" : "warn",
  explanation: v.explanation,
  basis: v.basis,
  suggestion,
});

/**
 * One collector reply: the compliance engine first (a blocking violation ends the round with the
 * rule, the reason and a compliant version), then the grader's moves, then the debtor's answer.
 */
export async function replyTo(
  scenario: LoadedScenario,
  state: RoundState,
  reply: string,
  deps: RoundDeps,
  now: Date,
): Promise<RoundStep> {
  const check = deps.engine.check(reply);
  const base = { ...state, lastAt: now.toISOString() };
  // only a rule ends a round: a learned-layer finding (no rule's words, a model's reading) is noted
  // on the scorecard, so a false alarm on a fair question does not cut a practice round short
  const blocking = check.violations.filter((v) => v.severity === "block" && !isLearned(v));
  if (blocking.length) {
    const ended = { ...base, history: [...base.history, []] };
    const violations = [...base.warnings, ...blocking.map((v) => note(v, check.suggestion))];
    return { state: ended, scorecard: finish(scenario, ended, "violation", deps, violations) };
  }
  const warnings = [...base.warnings, ...check.violations.map((v) => note(v, check.suggestion))];
  const moves = await deps.grader.moves(reply, scenario);
  const history = [...base.history, moves];
  const threats = base.threats + (moves.includes(THREAT_MOVE) ? 1 : 0);
  const answer = await deps.persona.respond({ scenario, turn: base.turn, moves, history, threats });
  const next: RoundState = { ...base, turn: base.turn + 1, threats, history, warnings };
  if (!answer.end) return { state: next, line: answer.line };
  return { state: next, line: answer.line, scorecard: finish(scenario, next, answer.end, deps, warnings) };
}

function finish(
  scenario: LoadedScenario,
  state: RoundState,
  outcome: Scorecard["outcome"],
  deps: Pick<RoundDeps, "templates" | "entry">,
  violations: ViolationNote[],
): Scorecard {
  return buildScorecard({
    scenario,
    state,
    outcome,
    templates: deps.templates,
    entry: deps.entry,
    violations,
  });
}

/** The scorecard of a round ended early by the collector (/stop) or by inactivity. */
export function endRound(
  scenario: LoadedScenario,
  state: RoundState,
  outcome: "abandoned" | "timeout",
  deps: Pick<RoundDeps, "templates" | "entry">,
): Scorecard {
  return finish(scenario, state, outcome, deps, state.warnings);
}
