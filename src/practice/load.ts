import { existsSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { z } from "zod";
import { CoachError } from "../errors.ts";
import { DEFAULT_KNOWLEDGE_DIR } from "../knowledge/load.ts";
import type { Entry } from "../knowledge/schema.ts";
import { describeIssues, listFiles } from "../knowledge/yaml-files.ts";
import {
  type LoadedScenario,
  type Scenario,
  scenarioSchema,
  type Templates,
  templatesSchema,
} from "./schema.ts";

export const TEMPLATES_FILE = "_templates.yaml";

export interface ScenarioBank {
  scenarios: LoadedScenario[];
  templates: Templates;
}

const display = (path: string) => relative(process.cwd(), path) || path;

function readDocs(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, "utf8")).flatMap((d) => {
    if (d.errors.length) throw new Error(d.errors[0]?.message);
    const v = d.toJS();
    return Array.isArray(v) ? v : v == null ? [] : [v];
  });
}

function parse<S extends z.ZodType>(
  file: string,
  docs: unknown[],
  schema: S,
  errors: string[],
): Array<z.infer<S>> {
  const out: Array<z.infer<S>> = [];
  docs.forEach((doc, i) => {
    const r = schema.safeParse(doc);
    const id = (doc as { id?: unknown })?.id;
    const where = typeof id === "string" ? `${file}[${id}]` : docs.length > 1 ? `${file}[${i}]` : file;
    if (r.success) out.push(r.data);
    else errors.push(...describeIssues(where, r.error));
  });
  return out;
}

function crossCheck(templates: Templates, file: string, errors: string[]): void {
  for (const m of templates.priority)
    if (!templates.moves[m]) errors.push(`${file}: priority: unknown move "${m}"`);
  for (const [id, item] of Object.entries(templates.rubric))
    if (!templates.moves[item.move]) errors.push(`${file}: rubric.${id}.move: unknown move "${item.move}"`);
  if (!templates.types.default) errors.push(`${file}: types: a "default" type is required`);
  for (const [type, t] of Object.entries(templates.types))
    for (const r of t.rubric)
      if (!templates.rubric[r]) errors.push(`${file}: types.${type}.rubric: unknown rubric item "${r}"`);
}

/**
 * Load the practice scenarios of <knowledgeDir>/scenarios and their shared templates, validated
 * against the schema, the templates and the knowledge entries; one error lists every problem.
 */
export function loadScenarios(entries: readonly Entry[], knowledgeDir = DEFAULT_KNOWLEDGE_DIR): ScenarioBank {
  const dir = join(knowledgeDir, "scenarios");
  if (!existsSync(join(dir, TEMPLATES_FILE)))
    throw new CoachError("KNOWLEDGE_INVALID", [
      `${display(dir)}: no practice scenarios here (${TEMPLATES_FILE} missing)`,
    ]);
  const errors: string[] = [];
  const templatesPath = join(dir, TEMPLATES_FILE);
  let templates: Templates | undefined;
  try {
    templates = parse(display(templatesPath), readDocs(templatesPath), templatesSchema, errors)[0];
  } catch (e) {
    errors.push(`${display(templatesPath)}: ${(e as Error).message}`);
  }
  if (templates) crossCheck(templates, display(templatesPath), errors);

  const raw: Array<{ file: string; value: Scenario }> = [];
  for (const path of listFiles(dir, [".yaml", ".yml"])) {
    if (basename(path).startsWith("_")) continue;
    const file = display(path);
    try {
      for (const value of parse(file, readDocs(path), scenarioSchema, errors)) raw.push({ file, value });
    } catch (e) {
      errors.push(`${file}: YAML syntax: ${(e as Error).message}`);
    }
  }

  const byId = new Map(entries.map((e) => [e.id, e]));
  const seen = new Map<string, string>();
  const scenarios: LoadedScenario[] = [];
  for (const { file, value: s } of raw) {
    const where = `${file}[${s.id}]`;
    const prev = seen.get(s.id);
    if (prev) errors.push(`${where}: id: already used in ${prev}`);
    seen.set(s.id, file);
    const entry = byId.get(s.entry);
    if (!entry) errors.push(`${where}: entry: unknown entry id "${s.entry}"`);
    else if (!entry.codes.includes(s.code))
      errors.push(`${where}: entry: "${s.entry}" does not declare the code "${s.code}"`);
    if (!templates) continue;
    const rubric = s.rubric ?? templates.types[s.code]?.rubric ?? templates.types.default?.rubric ?? [];
    for (const r of rubric) if (!templates.rubric[r]) errors.push(`${where}: rubric: unknown item "${r}"`);
    s.turns.forEach((turn, i) => {
      for (const key of Object.keys(turn))
        if (key !== "default" && !templates.moves[key])
          errors.push(
            `${where}: turns.${i}: unknown move "${key}" (known: ${Object.keys(templates.moves).join(", ")})`,
          );
    });
    scenarios.push({ ...s, rubric });
  }
  if (errors.length) throw new CoachError("KNOWLEDGE_INVALID", errors);
  return { scenarios, templates: templates! };
}

/** Every line the bot may say as the debtor in a scenario (for the compliance guard). */
export function debtorLines(s: Scenario, templates: Templates): string[] {
  const d = templates.difficulty[s.difficulty];
  return [
    s.opening,
    ...s.turns.flatMap((t) => Object.values(t)),
    s.close.deal,
    s.close.open,
    ...(d ? [...d.escalate, d.hangup] : []),
  ];
}
