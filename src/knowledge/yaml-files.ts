import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { z } from "zod";

/** All files under dir (recursive) whose name ends with one of exts, sorted for stable order. */
export function listFiles(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (exts.some((e) => name.toLowerCase().endsWith(e))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Human-readable zod issues: "file: field.path: message". */
export function describeIssues(file: string, error: z.ZodError): string[] {
  return error.issues.map((i) => `${file}: ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}

/**
 * Parse every YAML file under dir and validate each item with schema. A file holds either one item
 * or a list of items (or several YAML documents). Returns the items and a list of errors naming
 * file and field, so the caller can fail with all of them at once.
 */
export function loadYamlItems<S extends z.ZodType>(
  dir: string,
  schema: S,
): { items: Array<{ file: string; value: z.infer<S> }>; errors: string[] } {
  const items: Array<{ file: string; value: z.infer<S> }> = [];
  const errors: string[] = [];
  for (const path of listFiles(dir, [".yaml", ".yml"])) {
    const file = relative(process.cwd(), path) || path;
    let docs: unknown[];
    try {
      docs = parseAllDocuments(readFileSync(path, "utf8")).flatMap((d) => {
        if (d.errors.length) throw new Error(d.errors[0]?.message);
        const v = d.toJS();
        return Array.isArray(v) ? v : v == null ? [] : [v];
      });
    } catch (e) {
      errors.push(`${file}: YAML syntax: ${(e as Error).message}`);
      continue;
    }
    docs.forEach((doc, i) => {
      const r = schema.safeParse(doc);
      const where = docs.length > 1 ? `${file}[${i}]` : file;
      if (r.success) items.push({ file, value: r.data });
      else errors.push(...describeIssues(where, r.error));
    });
  }
  return { items, errors };
}
