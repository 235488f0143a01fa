/** Role-play practice (陪练): scenarios as data, scripted debtor, compliance first, rubric scoring. Telegram-free. */
export { debtorLines, loadScenarios, type ScenarioBank } from "./load.ts";
export { detectMoves } from "./moves.ts";
export { pickScenario } from "./pick.ts";
export { PracticeCoach, type PracticeOptions } from "./practice.ts";
export { endRound, type RoundDeps, type RoundState, type RoundStep, replyTo, startRound } from "./round.ts";
export { DIFFICULTIES, type Difficulty, type LoadedScenario } from "./schema.ts";
export type { Scorecard } from "./scorecard.ts";
export { CueGrader, type DebtorPersona, type Grader, ScriptedPersona } from "./seams.ts";
export { average, PracticeStore, ROUND_TIMEOUT_MS, weakestPracticeCodes } from "./store.ts";
