// npm run mutate:compliance — the compliance engine against its own suites (vitest.compliance.config.ts).
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: "vitest.compliance.config.ts", related: false },
  // the phrase lists (context-cues.ts) are data: a phrase dropped from a list of hundreds changes no
  // test, it changes recall, which `npm run eval` measures on the held-out corpus split
  mutate: ["src/compliance/**/*.ts", "!src/compliance/context-cues.ts"],
  incrementalFile: "reports/stryker-incremental-compliance.json",
  htmlReporter: { fileName: "reports/mutation-compliance/mutation.html" },
  jsonReporter: { fileName: "reports/mutation-compliance/mutation.json" },
  tempDirName: ".stryker-tmp-compliance",
};
