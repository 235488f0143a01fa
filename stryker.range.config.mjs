// One module (or a line range of it) against a narrow set of suites, for a quick mutation score while
// working on it. The vitest config and report name come from the environment:
//   MUTATE_VITEST=vitest.broadcast.config.ts MUTATE_NAME=broadcaster \
//     npx stryker run stryker.range.config.mjs --mutate src/broadcast/broadcaster.ts --concurrency 1
import base from "./stryker.config.mjs";

const name = process.env.MUTATE_NAME ?? "range";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  vitest: { configFile: process.env.MUTATE_VITEST ?? "vitest.config.ts", related: false },
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  htmlReporter: { fileName: `reports/mutation-${name}/mutation.html` },
  jsonReporter: { fileName: `reports/mutation-${name}/mutation.json` },
  tempDirName: `.stryker-tmp-${name}`,
};
