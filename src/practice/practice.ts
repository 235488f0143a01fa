import type { Entry } from "../knowledge/schema.ts";
import type { ScenarioBank } from "./load.ts";
import { type PickRequest, pickScenario } from "./pick.ts";
import { endRound, type RoundDeps, type RoundState, type RoundStep, replyTo, startRound } from "./round.ts";
import type { LoadedScenario } from "./schema.ts";
import type { Scorecard } from "./scorecard.ts";
import {
  type ComplianceChecker,
  CueGrader,
  type DebtorPersona,
  type Grader,
  ScriptedPersona,
} from "./seams.ts";

export interface PracticeOptions {
  bank: ScenarioBank;
  entries: ReadonlyMap<string, Entry>;
  engine: ComplianceChecker;
  /** seams for another grader or debtor persona (an LLM mode); offline ones by default */
  grader?: Grader;
  persona?: DebtorPersona;
}

/** The practice core: scenarios, rounds and scorecards, with no knowledge of any front end. */
export class PracticeCoach {
  readonly scenarios: readonly LoadedScenario[];
  private readonly byId: ReadonlyMap<string, LoadedScenario>;
  private readonly deps: Omit<RoundDeps, "entry">;

  constructor(private readonly options: PracticeOptions) {
    this.scenarios = options.bank.scenarios;
    this.byId = new Map(this.scenarios.map((s) => [s.id, s]));
    const { templates } = options.bank;
    this.deps = {
      templates,
      engine: options.engine,
      grader: options.grader ?? new CueGrader(templates),
      persona: options.persona ?? new ScriptedPersona(templates),
    };
  }

  scenario(id: string): LoadedScenario | undefined {
    return this.byId.get(id);
  }

  pick(req: PickRequest): LoadedScenario | undefined {
    return pickScenario(this.scenarios, req);
  }

  start(scenario: LoadedScenario, now: Date): { state: RoundState; line: string } {
    return startRound(scenario, now);
  }

  /** One collector reply. Throws when the round's scenario no longer exists. */
  reply(state: RoundState, text: string, now: Date): Promise<RoundStep> {
    const scenario = this.required(state.scenarioId);
    return replyTo(scenario, state, text, { ...this.deps, entry: this.entryOf(scenario) }, now);
  }

  end(state: RoundState, outcome: "abandoned" | "timeout"): Scorecard {
    const scenario = this.required(state.scenarioId);
    return endRound(scenario, state, outcome, {
      templates: this.deps.templates,
      entry: this.entryOf(scenario),
    });
  }

  private entryOf(s: LoadedScenario): Entry | undefined {
    return this.options.entries.get(s.entry);
  }

  private required(id: string): LoadedScenario {
    const s = this.byId.get(id);
    if (!s) throw new Error(`unknown practice scenario "${id}"`);
    return s;
  }
}
