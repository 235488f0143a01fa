/**
 * The compliance suites in one module graph, for mutation runs of src/compliance/
 * (vitest.compliance.config.ts): every mutant then loads the rules and builds the engine once instead of
 * once per test file, about three times faster on two cores. Not part of `npm test` (the files run there
 * on their own).
 *
 * The files are imported one by one, and a file that throws while loading becomes a failing test. A
 * mutant in code that runs at load (the rule loader, a pattern built once) can make every suite throw
 * before any test exists, and StrykerJS's vitest runner reads a run with no tests and no failure as a
 * mutant that survived.
 */
import { it } from "vitest";

const suites = [
  "compliance.test.ts",
  "compliance-conditions.test.ts",
  "compliance-learned.test.ts",
  "compliance-learned-units.test.ts",
  "compliance-negation.test.ts",
  "compliance-rule-reading.test.ts",
  "compliance-description.test.ts",
  "compliance-words.test.ts",
  "compliance-suggest.test.ts",
  "compliance-guard.test.ts",
  "compliance-files.test.ts",
  "compliance-detectors.test.ts",
  "phrase-matcher.test.ts",
  "ingest/screen.test.ts",
  "ingest/quarantine-warn.test.ts",
];

for (const name of suites) {
  try {
    await import(`../${name}`);
  } catch (error) {
    it(`${name} loads`, () => {
      throw error;
    });
  }
}
