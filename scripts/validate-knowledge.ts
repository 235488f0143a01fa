import { SCENARIO_CODES } from "../src/knowledge/codes.ts";
import { loadEntries } from "../src/knowledge/load.ts";

try {
  const entries = loadEntries();
  const covered = new Set(entries.flatMap((e) => e.codes));
  const missing = SCENARIO_CODES.filter((c) => !covered.has(c));
  console.log(`${entries.length} entries valid; codes not yet covered: ${missing.join(", ") || "none"}`);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
