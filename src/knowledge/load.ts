import { join } from "node:path";
import { CoachError } from "../errors.ts";
import { type Entry, entrySchema } from "./schema.ts";
import { loadYamlItems } from "./yaml-files.ts";

export const DEFAULT_KNOWLEDGE_DIR = join(import.meta.dirname, "..", "..", "knowledge");

/** Load and validate the curated entries in <dir>/entries; throws one error listing every problem. */
export function loadEntries(knowledgeDir = DEFAULT_KNOWLEDGE_DIR): Entry[] {
  const { items, errors } = loadYamlItems(join(knowledgeDir, "entries"), entrySchema);
  const seen = new Map<string, string>();
  for (const { file, value } of items) {
    const prev = seen.get(value.id);
    if (prev) errors.push(`${file}: id: "${value.id}" already used in ${prev}`);
    seen.set(value.id, file);
  }
  for (const { file, value } of items) {
    for (const r of value.related) {
      if (!seen.has(r)) errors.push(`${file}: related: unknown entry id "${r}"`);
    }
  }
  if (errors.length) throw new CoachError("KNOWLEDGE_INVALID", errors);
  if (!items.length) throw new CoachError("KNOWLEDGE_EMPTY", [join(knowledgeDir, "entries")]);
  return items.map((i) => i.value);
}
