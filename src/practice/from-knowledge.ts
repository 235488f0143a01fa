import type { Entry } from "../knowledge/schema.ts";
import { loadScenarios } from "./load.ts";
import { PracticeCoach } from "./practice.ts";
import type { ComplianceChecker } from "./seams.ts";

/**
 * The practice core over a knowledge folder, or undefined (with the reason logged) when its
 * scenarios are missing or invalid: the rest of the bot runs without practice.
 */
export function loadPractice(
  knowledgeDir: string,
  coach: { entries: ReadonlyMap<string, Entry> } & ComplianceChecker,
  warn: (message: string, meta?: Record<string, unknown>) => void,
): PracticeCoach | undefined {
  try {
    const bank = loadScenarios([...coach.entries.values()], knowledgeDir);
    return new PracticeCoach({ bank, entries: coach.entries, engine: coach });
  } catch (err) {
    warn("practice scenarios not loaded; practice is off", { error: (err as Error).message });
    return undefined;
  }
}
