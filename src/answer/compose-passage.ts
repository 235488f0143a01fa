import type { GuardResult } from "../compliance/guard.ts";
import type { Entry } from "../knowledge/schema.ts";
import type { SearchDoc } from "../retrieval/retriever.ts";
import { escapeHtml, TELEGRAM_TEXT_LIMIT } from "../text/html.ts";
import { inScript, type Script, toSimplified } from "../text/script.ts";
import type { ComposedAnswer } from "./compose.ts";

/** About a screen of text: the section's passages are joined up to this many characters. */
const MAX_TEXT = 900;

export interface PassageInput {
  passage: SearchDoc;
  /** the following passages of the same section */
  continuation: SearchDoc[];
  /** curated entries offered next to it (best first) */
  related: string[];
  entries: ReadonlyMap<string, Entry>;
  script: Script;
  guard: (text: string) => GuardResult;
  /** readable document names by file (a hashed file name is never shown as the title) */
  titles?: ReadonlyMap<string, string>;
}

/**
 * An answer from the company's own document: the heading path, the section's text (paragraph by
 * paragraph through the guard; a paragraph that does not pass is left out), the document and
 * section as the source, and related curated entries.
 */
export function composePassage(input: PassageInput): ComposedAnswer {
  const { passage, continuation, entries, script, guard } = input;
  const section = toSimplified(passage.title);
  const docTitle = toSimplified(
    (passage.file && input.titles?.get(passage.file)) || passage.docTitle || passage.file || "",
  );
  const paragraphs: string[] = [];
  let size = 0;
  for (const doc of [passage, ...continuation]) {
    for (const para of doc.body.split("\n")) {
      const text = toSimplified(para.trim());
      if (!text || size + text.length > MAX_TEXT) continue;
      if (!guard(text).allowed) continue;
      paragraphs.push(escapeHtml(text));
      size += text.length;
    }
    if (size >= MAX_TEXT) break;
  }
  const related = input.related.filter((id) => entries.has(id)).slice(0, 3);
  const blocks = [
    [`<b>📄 ${escapeHtml(section)}</b>`, ...paragraphs],
    [
      `<b>📚 来源</b> ${escapeHtml(docTitle)}${section && section !== docTitle ? ` › ${escapeHtml(section)}` : ""}${passage.file ? `（${escapeHtml(passage.file)}）` : ""}`,
    ],
  ];
  if (related.length)
    blocks.push(["<b>🔗 相关条目</b>", ...related.map((id) => `• ${escapeHtml(entries.get(id)!.title)}`)]);
  const chosen = blocks.filter((b) => guard(b.join("\n")).allowed);
  let html = inScript(chosen.map((b) => b.join("\n")).join("\n\n"), script);
  if (html.length > TELEGRAM_TEXT_LIMIT) html = `${html.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…`;
  return { html, entryId: null, related };
}
