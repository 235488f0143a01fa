import type { CheckResult } from "../compliance/engine.ts";
import { detectMoves } from "./moves.ts";
import type { LoadedScenario, Templates } from "./schema.ts";

/** What the round needs from a compliance engine (ComplianceEngine and Coach both fit). */
export interface ComplianceChecker {
  check(text: string): CheckResult;
}

/** The grader reads one collector reply: which moves it shows (the compliance verdict is not its call). */
export interface Grader {
  moves(reply: string, scenario: LoadedScenario): Promise<string[]>;
}

export interface DebtorInput {
  scenario: LoadedScenario;
  /** index of the turn the debtor answers with (0-based; equals turns.length at the close) */
  turn: number;
  /** moves of the collector's latest reply, priority order */
  moves: string[];
  /** moves of every reply so far, this one included */
  history: string[][];
  /** threats and pressure so far, this reply included */
  threats: number;
}

export type DebtorEnd = "deal" | "open" | "hung-up";

export interface DebtorTurn {
  line: string;
  end?: DebtorEnd;
}

/**
 * The debtor's side of the conversation. The offline persona plays the scenario's scripted
 * branches; an LLM persona (prompts/) would plug in here, its lines still passing the guard.
 */
export interface DebtorPersona {
  respond(input: DebtorInput): Promise<DebtorTurn>;
}

/** Offline grader: cue words of the shared moves. */
export class CueGrader implements Grader {
  constructor(private readonly templates: Templates) {}
  async moves(reply: string): Promise<string[]> {
    return detectMoves(reply, this.templates);
  }
}

export const THREAT_MOVE = "threat";
export const DEAL_MOVE = "commit";

/** Offline persona: the scenario's branch for the collector's move, escalation and hang-up by difficulty. */
export class ScriptedPersona implements DebtorPersona {
  constructor(private readonly templates: Templates) {}

  async respond({ scenario, turn, moves, history, threats }: DebtorInput): Promise<DebtorTurn> {
    const level = this.templates.difficulty[scenario.difficulty]!;
    const branches = scenario.turns[turn];
    if (moves.includes(THREAT_MOVE)) {
      if (threats > level.patience) return { line: level.hangup, end: "hung-up" };
      const line = branches?.[THREAT_MOVE] ?? level.escalate[(threats - 1) % level.escalate.length]!;
      return turn >= scenario.turns.length ? { line, end: "open" } : { line };
    }
    if (!branches) {
      const agreed = history.some((m) => m.includes(DEAL_MOVE));
      return { line: agreed ? scenario.close.deal : scenario.close.open, end: agreed ? "deal" : "open" };
    }
    if (moves.includes(DEAL_MOVE) && !branches[DEAL_MOVE]) return { line: scenario.close.deal, end: "deal" };
    const move = moves.find((m) => branches[m] !== undefined);
    return { line: move ? branches[move]! : branches.default! };
  }
}
