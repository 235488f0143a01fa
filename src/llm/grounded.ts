import { z } from "zod";
import type { Entry } from "../knowledge/schema.ts";
import type { Hit, SearchDoc } from "../retrieval/retriever.ts";
import { escapeHtml, TELEGRAM_TEXT_LIMIT } from "../text/html.ts";
import { inScript, type Script, toSimplified } from "../text/script.ts";

export const answerSchema = z.object({
  answer: z.string(),
  covered: z.boolean(),
});
export type ModelAnswer = z.infer<typeof answerSchema>;

export interface Source {
  id: string;
  title: string;
  /** what the model reads */
  text: string;
  /** where it comes from, shown to the collector */
  origin: string;
}

export const MAX_SOURCES = 4;

function entryText(e: Entry): string {
  return [
    `判断：${e.diagnosis}`,
    e.situation,
    "做法：",
    ...e.steps.map((s, i) => `${i + 1}. ${s}`),
    "可以这样说：",
    ...e.say.map((s) => `「${s}」`),
    "不要这样做：",
    ...e.never.map((n) => `${n.dont}（${n.why}）`),
  ].join("\n");
}

/** The numbered sources for a question: the best hits, curated entries and ingested passages. */
export function sourcesFor(
  hits: Hit[],
  entries: ReadonlyMap<string, Entry>,
  docs: ReadonlyMap<string, SearchDoc>,
  max = MAX_SOURCES,
): Source[] {
  const out: Source[] = [];
  for (const h of hits) {
    if (out.length >= max) break;
    const entry = h.kind === "entry" ? entries.get(h.id) : undefined;
    if (entry) {
      out.push({
        id: entry.id,
        title: entry.title,
        text: entryText(entry),
        origin: entry.sources.map((s) => `${s.file} · ${s.section}`).join("；"),
      });
      continue;
    }
    const doc = docs.get(h.id);
    if (doc) out.push({ id: doc.id, title: doc.title, text: doc.body, origin: doc.source ?? doc.title });
  }
  return out;
}

export type CitationProblem = "uncited" | "fabricated-citation";

/** Every [n] the answer cites must be one of the n sources it was given, and it must cite at least one. */
export function checkCitations(
  answer: string,
  sourceCount: number,
): { cited: number[]; problem?: CitationProblem } {
  const cited = [...answer.matchAll(/[[［]\s*(\d{1,3})\s*[\]］]/g)].map((m) => Number(m[1]));
  if (!cited.length) return { cited, problem: "uncited" };
  if (cited.some((n) => n < 1 || n > sourceCount)) return { cited, problem: "fabricated-citation" };
  return { cited: [...new Set(cited)].sort((a, b) => a - b) };
}

/** Telegram HTML: the model's answer (in the asker's script), then the sources it cited. */
export function renderGrounded(answer: string, sources: Source[], cited: number[], script: Script): string {
  const body = escapeHtml(answer.trim()).replace(/［(\d+)］/g, "[$1]");
  const lines = cited.map((n) => {
    const s = sources[n - 1]!;
    return `[${n}] ${escapeHtml(s.title)}${s.origin && s.origin !== s.title ? ` — ${escapeHtml(s.origin)}` : ""}`;
  });
  const text = `${body}\n\n<b>📚 来源</b>\n${lines.join("\n")}`;
  const html = script === "traditional" ? inScript(toSimplified(text), script) : toSimplified(text);
  return html.length > TELEGRAM_TEXT_LIMIT ? `${html.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…` : html;
}
