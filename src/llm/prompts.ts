import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { CoachError } from "../errors.ts";

export const DEFAULT_PROMPTS_DIR = join(import.meta.dirname, "..", "..", "prompts");

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, "lower-case words joined by -"),
  version: z.union([z.number().int().positive(), z.string().min(1)]).transform(String),
  description: z.string().min(1),
  variables: z.array(z.string().regex(/^[a-z][a-zA-Z0-9_]*$/)).default([]),
});

export interface Prompt {
  id: string;
  version: string;
  description: string;
  variables: string[];
  system: string;
  user: string;
}

export interface RenderedPrompt {
  id: string;
  version: string;
  messages: Array<{ role: "system" | "user"; content: string }>;
}

const VAR_RE = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;
const FRONT_RE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/;
const SECTION_RE = /^# (system|user)\s*$/m;

/** Parse one prompt file (YAML front matter, `# system` and `# user` sections); errors name the file and field. */
export function parsePrompt(file: string, source: string): Prompt {
  const fail = (msg: string): never => {
    throw new CoachError("PROMPT_INVALID", [`${file}: ${msg}`]);
  };
  const m = FRONT_RE.exec(source);
  if (!m) return fail("front matter between --- lines is missing");
  let raw: unknown;
  try {
    raw = parse(m[1]!);
  } catch (err) {
    return fail(`front matter is not YAML (${(err as Error).message})`);
  }
  const front = frontMatterSchema.safeParse(raw);
  if (!front.success)
    return fail(
      front.error.issues.map((i) => `${i.path.join(".") || "(front matter)"}: ${i.message}`).join("; "),
    );
  const parts = m[2]!.split(SECTION_RE);
  const sections: Record<string, string> = {};
  for (let i = 1; i < parts.length; i += 2) sections[parts[i]!] = parts[i + 1]!.trim();
  if (!sections.system) fail("the `# system` section is missing or empty");
  if (!sections.user) fail("the `# user` section is missing or empty");
  const used = new Set([...`${sections.system}\n${sections.user}`.matchAll(VAR_RE)].map((v) => v[1]!));
  const declared = new Set(front.data.variables);
  for (const v of used) if (!declared.has(v)) fail(`{{${v}}} is used but not listed in variables`);
  for (const v of declared) if (!used.has(v)) fail(`variable "${v}" is listed but never used`);
  return { ...front.data, system: sections.system!, user: sections.user! };
}

/** Fill a prompt's variables; a missing or unknown variable is a programming error. */
export function renderPrompt(prompt: Prompt, vars: Record<string, string>): RenderedPrompt {
  for (const v of prompt.variables)
    if (typeof vars[v] !== "string") throw new Error(`prompt ${prompt.id}: variable "${v}" not given`);
  for (const k of Object.keys(vars))
    if (!prompt.variables.includes(k)) throw new Error(`prompt ${prompt.id}: unknown variable "${k}"`);
  // one pass, so a value that itself contains {{…}} is never expanded
  const fill = (s: string) => s.replace(VAR_RE, (_all, name: string) => vars[name]!);
  return {
    id: prompt.id,
    version: prompt.version,
    messages: [
      { role: "system", content: fill(prompt.system) },
      { role: "user", content: fill(prompt.user) },
    ],
  };
}

export const REQUIRED_PROMPTS = ["answer", "judge", "rewrite", "tag-passage"] as const;
export type PromptId = (typeof REQUIRED_PROMPTS)[number];
export type PromptSet = Record<PromptId, Prompt> & Record<string, Prompt>;

/** Load every `*.md` prompt of a folder (README.md excepted); fails naming each bad file. */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptSet {
  const out: Record<string, Prompt> = {};
  const problems: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".md") || name.toLowerCase() === "readme.md") continue;
    try {
      const p = parsePrompt(name, readFileSync(join(dir, name), "utf8"));
      if (out[p.id]) problems.push(`${name}: id "${p.id}" is used twice`);
      out[p.id] = p;
    } catch (err) {
      problems.push(...(err instanceof CoachError ? err.details : [`${name}: ${(err as Error).message}`]));
    }
  }
  for (const id of REQUIRED_PROMPTS) if (!out[id] && !problems.length) problems.push(`${id}.md is missing`);
  if (problems.length) throw new CoachError("PROMPT_INVALID", problems);
  return out as PromptSet;
}
