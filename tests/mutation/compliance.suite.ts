/**
 * The compliance suites in one module graph, for mutation runs of src/compliance/
 * (vitest.compliance.config.ts with MUTATE_ONE_GRAPH=1): every mutant then loads the rules and
 * builds the engine once instead of once per test file, about three times faster on two cores.
 * Not part of `npm test` (the files run there on their own).
 */
import "../compliance.test.ts";
import "../compliance-conditions.test.ts";
import "../compliance-learned.test.ts";
import "../compliance-learned-units.test.ts";
import "../compliance-negation.test.ts";
import "../compliance-rule-reading.test.ts";
import "../compliance-description.test.ts";
import "../compliance-words.test.ts";
import "../compliance-suggest.test.ts";
import "../compliance-guard.test.ts";
import "../compliance-files.test.ts";
import "../compliance-detectors.test.ts";
import "../phrase-matcher.test.ts";
import "../ingest/screen.test.ts";
import "../ingest/quarantine-warn.test.ts";
