import { join } from "node:path";
import { COMPLIANCE_CATEGORIES, SCENARIO_CODES } from "../src/knowledge/codes.ts";
import { DEFAULT_KNOWLEDGE_DIR, loadEntries } from "../src/knowledge/load.ts";
import { loadYamlItems } from "../src/knowledge/yaml-files.ts";
import { quizQuestionSchema } from "../src/quiz/schema.ts";

const { items, errors } = loadYamlItems(join(DEFAULT_KNOWLEDGE_DIR, "quiz"), quizQuestionSchema);
let ids = new Set<string>();
try {
  ids = new Set(loadEntries().map((e) => e.id));
} catch (e) {
  console.error("(entries not loadable yet)", (e as Error).message.slice(0, 300));
}
for (const { file, value } of items)
  if (ids.size && !ids.has(value.entry)) errors.push(`${file}: ${value.id}: unknown entry ${value.entry}`);
if (errors.length) {
  console.error(errors.join("\n"));
  process.exit(1);
}
const codes = new Set(items.flatMap((i) => i.value.codes));
const cats = new Set(items.flatMap((i) => i.value.categories));
console.log(`${items.length} questions valid`);
console.log("scenario codes missing:", SCENARIO_CODES.filter((c) => !codes.has(c)).join(", ") || "none");
console.log("categories missing:", COMPLIANCE_CATEGORIES.filter((c) => !cats.has(c)).join(", ") || "none");
