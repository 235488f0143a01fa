import { join } from "node:path";
import { CoachError } from "../errors.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../knowledge/load.ts";
import { loadYamlItems } from "../knowledge/yaml-files.ts";
import { type Rule, ruleSchema } from "./rule-schema.ts";

/** Load and validate every rule in <knowledgeDir>/rules plus any extra company rule folders. */
export function loadRules(knowledgeDir = DEFAULT_KNOWLEDGE_DIR, extraDirs: string[] = []): Rule[] {
  const errors: string[] = [];
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const dir of [join(knowledgeDir, "rules"), ...extraDirs]) {
    const r = loadYamlItems(dir, ruleSchema);
    errors.push(...r.errors);
    for (const { file, value } of r.items) {
      const prev = seen.get(value.id);
      if (prev) errors.push(`${file}: id: "${value.id}" already used in ${prev}`);
      seen.set(value.id, file);
      rules.push(value);
    }
  }
  if (errors.length) throw new CoachError("RULES_INVALID", errors);
  return rules;
}
