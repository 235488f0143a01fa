import type { GuardResult } from "../compliance/guard.ts";
import type { Entry } from "../knowledge/schema.ts";
import type { Confidence, Hit } from "../retrieval/retriever.ts";
import { escapeHtml, TELEGRAM_TEXT_LIMIT } from "../text/html.ts";
import { inScript, type Script } from "../text/script.ts";
import { type DocumentTitles, sourcesLine } from "./documents.ts";

export interface ComposeInput {
  hits: Hit[];
  confident: boolean;
  /** `unsure`: say so and offer the top three as choices (default: from `confident`) */
  confidence?: Confidence;
  entries: ReadonlyMap<string, Entry>;
  script: Script;
  /** the compliance guard every block must pass */
  guard: (text: string) => GuardResult;
  /** readable names of the source documents */
  titles?: DocumentTitles;
}

export interface ComposedAnswer {
  /** Telegram-HTML text in the asker's script; passes the compliance guard */
  html: string;
  /** the entry the answer is built on (null for "no good match") */
  entryId: string | null;
  /** entry ids offered as related topics */
  related: string[];
  /** when unsure: the entry ids offered as 「你是想问：…」 choices, best first */
  choices?: string[];
}

const CHOICES = 3;

/** "Not sure": say so and list the top three entries as choices (the bot makes them buttons). */
function unsureAnswer(hits: Hit[], entries: ReadonlyMap<string, Entry>, script: Script): ComposedAnswer {
  const choices = [
    ...new Set(hits.filter((h) => h.kind === "entry" && entries.has(h.id)).map((h) => h.id)),
  ].slice(0, CHOICES);
  const lines = ["🤔 这个问题我不太确定你指的是哪种情况，不想给你一个可能答非所问的答案。"];
  if (choices.length) {
    lines.push("", "<b>你是想问：</b>");
    lines.push(...choices.map((id, i) => `${i + 1}. ${escapeHtml(entries.get(id)!.title)}`));
    lines.push("", "点选一项看答案，或者换个说法、补充客户的原话再问。");
  }
  return { html: inScript(lines.join("\n"), script), entryId: null, related: [], choices };
}

const NEGATOR_START = /^(不|别|切勿|严禁|禁止|勿|避免|杜绝)/;
const MAX_STEPS = 4;
const MAX_SAY = 2;

/** "不要" + the bad practice, as a prohibition the compliance engine reads as such. */
export function prohibition(dont: string): string {
  return NEGATOR_START.test(dont) ? dont : `不要${dont}`;
}

/** Related topics: the other hits, then the entry's own `related` list, without repeats. */
function relatedIds(primary: string | null, hits: Hit[], entries: ReadonlyMap<string, Entry>): string[] {
  const own = primary ? (entries.get(primary)?.related ?? []) : [];
  const ids = [...hits.filter((h) => h.kind === "entry").map((h) => h.id), ...own];
  return [...new Set(ids)].filter((id) => id !== primary && entries.has(id)).slice(0, 3);
}

/**
 * Compose the offline coaching answer from the best entry (and mention a second when its score is
 * close): diagnosis, 2–4 steps, 1–2 phrasings, one thing never to do, sources. Every block is
 * checked by the compliance guard; a block that does not pass is left out.
 */
export function composeAnswer(input: ComposeInput): ComposedAnswer {
  const { hits, confident, entries, script, guard } = input;
  const confidence = input.confidence ?? (confident ? "high" : "none");
  const top = hits.find((h) => h.kind === "entry");
  const entry = top ? entries.get(top.id) : undefined;
  if (confidence === "unsure" && hits.length) return unsureAnswer(hits, entries, script);
  if (confidence !== "high" || !entry || !top) {
    const related = relatedIds(null, hits, entries);
    const lines = [
      "🤔 这个问题我在知识库里没有找到可靠的答案，不想凭空猜测。",
      "可以换个说法再问，比如“客户说…怎么办”。",
    ];
    if (related.length) {
      lines.push("", "<b>也许你想问：</b>");
      for (const id of related) lines.push(`• ${escapeHtml(entries.get(id)!.title)}`);
    }
    return { html: inScript(lines.join("\n"), script), entryId: null, related };
  }

  const second = hits.find((h) => h.kind === "entry" && h.id !== top.id && h.score >= top.score * 0.85);
  const blocks: string[][] = [
    [`<b>📋 ${escapeHtml(entry.title)}</b>`, `🧭 ${escapeHtml(entry.diagnosis)}`],
    ["<b>✅ 怎么做</b>", ...entry.steps.slice(0, MAX_STEPS).map((s, i) => `${i + 1}. ${escapeHtml(s)}`)],
    ["<b>💬 可以这样说</b>", ...entry.say.slice(0, MAX_SAY).map((s) => `「${escapeHtml(s)}」`)],
  ];
  const never = entry.never.map((n) => [
    "<b>🚫 千万别这样</b>",
    `${escapeHtml(prohibition(n.dont))}。${escapeHtml(n.why)}`,
  ]);
  const secondEntry = second ? entries.get(second.id) : undefined;
  const tail: string[][] = [];
  if (secondEntry)
    tail.push([`<b>🔗 另见：${escapeHtml(secondEntry.title)}</b>`, escapeHtml(secondEntry.diagnosis)]);
  tail.push([`<b>📚 来源</b> ${escapeHtml(sourcesLine(entry, input.titles))}`]);

  const passes = (block: string[]) => guard(block.join("\n")).allowed;
  const chosen = blocks.filter(passes);
  const firstNever = never.find(passes);
  if (firstNever) chosen.push(firstNever);
  chosen.push(...tail.filter(passes));

  let html = inScript(chosen.map((b) => b.join("\n")).join("\n\n"), script);
  if (html.length > TELEGRAM_TEXT_LIMIT) html = `${html.slice(0, TELEGRAM_TEXT_LIMIT - 1)}…`;
  return { html, entryId: entry.id, related: relatedIds(entry.id, hits, entries) };
}

/** More example phrasings from the same entry, after the ones already shown. */
export function morePhrasing(
  entry: Entry,
  shown: number,
  script: Script,
  guard: (text: string) => GuardResult,
): string[] {
  return entry.say
    .slice(shown, shown + MAX_SAY)
    .filter((s) => guard(s).allowed)
    .map((s) => inScript(s, script));
}
