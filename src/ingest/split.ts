/**
 * Splitting cleaned text into passages. Sections come from headings: Markdown `#` when the
 * document has them, otherwise short lines that head something (第X章/模块, 一、…, a numbered line
 * above a paragraph or above a list that starts again at 1, a short title line), their levels
 * inferred from the order in which numbering styles first appear. Numbered items and paragraphs
 * are the pieces; a piece that is too long is cut at sentence boundaries. Tiny sections are
 * merged into the next, passages capped at about `maxChars`.
 */

import { parseNumber } from "../text/numerals.ts";
export interface Passage {
  /** the heading path of the section the passage starts in (or the document title) */
  title: string;
  text: string;
}

export interface SplitOptions {
  /** a passage is cut before it grows beyond this many characters */
  maxChars?: number;
  /** a section shorter than this is merged into the next one rather than made a passage */
  minChars?: number;
}

export const MAX_CHARS = 400;
export const MIN_CHARS = 50;

const CHAPTER = /^第[一二三四五六七八九十百零\d]+[章节節篇部分模块模塊讲講课課单單元]/u;

/** Numbering styles: [style, pattern capturing the number]. */
const NUMBERINGS: [string, RegExp][] = [
  ["chapter", /^第([一二三四五六七八九十百零\d]+)/u],
  ["cn", /^([一二三四五六七八九十]+)\s*[、，,.．]/u],
  ["paren", /^[（(]\s*([\d一二三四五六七八九十]{1,3})\s*[)）]/u],
  ["slide", /^0(\d)(?=\p{Script=Han})/u],
  ["dot", /^(\d{1,2})\s*[.．](?!\d)/u],
  ["dun", /^(\d{1,2})\s*、/u],
  ["colon", /^(\d{1,2})\s*[:：]/u],
  ["half-paren", /^(\d{1,2})\s*[)）]/u],
  ["circled", /^([①-⑳])/u],
];

/** Labels that head a whole article and say nothing about its sections. */
const LABEL = /^(摘要|前言|引言|导语|導語|正文|简介|簡介|概述|目录|目錄)\s*[:：]?$/u;
const SENTENCE_END = /[。！？!?；;…]$/u;
const INLINE_ITEM =
  /(?<=[^\s#])[ \t]+(?=(?:[一二三四五六七八九十]+[、，,]|\d{1,2}[、．.](?!\d)|[（(]\d{1,2}[)）]|\d{1,2}[)）])\s*\S)/gu;

function numbering(line: string): { style: string; value: number } | null {
  for (const [style, re] of NUMBERINGS) {
    const m = re.exec(line);
    if (!m) continue;
    const raw = m[1]!;
    if (style === "chapter" && !CHAPTER.test(line)) continue;
    const value =
      style === "circled"
        ? raw.charCodeAt(0) - 0x2460 + 1
        : /^\d+$/.test(raw)
          ? Number(raw)
          : raw.length === 1
            ? (parseNumber(raw) ?? 0)
            : 0;
    return { style, value };
  }
  return null;
}

const isShort = (line: string) =>
  line.length <= 40 && !/[。！？!?；;]./u.test(line) && !SENTENCE_END.test(line);

type LineKind =
  | { kind: "content" }
  | { kind: "label" }
  | { kind: "heading"; style: string | null; markdownLevel?: number };

/** A case study or a question of a Q/A page heads what follows it: 「案例分析05：…」「问：…」. */
const CASE_OR_QUESTION =
  /^(?:案例(?:分析)?\s*[\d一二三四五六七八九十]*\s*[:：.．、]|【案例】|[问問Q]\s*[:：])/u;

function classify(line: string, next: string | undefined, markdown: boolean): LineKind {
  const md = /^(#{1,6})\s+/.exec(line);
  if (md) return { kind: "heading", style: `md${md[1]!.length}`, markdownLevel: md[1]!.length };
  if (LABEL.test(line)) return { kind: "label" };
  if (!markdown && line.length <= 60 && CASE_OR_QUESTION.test(line) && next !== undefined && !isShort(next))
    return { kind: "heading", style: "case" };
  if (markdown || !isShort(line)) return { kind: "content" };
  const num = numbering(line);
  if (num && (num.style === "chapter" || num.style === "cn")) return { kind: "heading", style: num.style };
  if (next === undefined || /^#{1,6}\s/.test(next)) return { kind: "content" };
  const nextNum = numbering(next);
  if (num) {
    // a numbered line heads a paragraph, or a list of its own that starts again at 1
    const heads = nextNum
      ? nextNum.value === 1 && (nextNum.style !== num.style || num.value > 1)
      : !isShort(next);
    return heads ? { kind: "heading", style: num.style } : { kind: "content" };
  }
  return line.length <= 24 && !/[，,]/.test(line) ? { kind: "heading", style: null } : { kind: "content" };
}

/** Sentences of a piece, each cut again at commas (then hard) if it is still too long. */
export function sentences(piece: string, maxChars = MAX_CHARS): string[] {
  const out: string[] = [];
  for (const s of piece.match(/[^。！？!?；;…]+[。！？!?；;…]*\s*/gu) ?? [piece]) {
    if (s.length <= maxChars) {
      out.push(s);
      continue;
    }
    let buf = "";
    for (const clause of s.match(/[^，,、]+[，,、]*/gu) ?? [s]) {
      if (buf && buf.length + clause.length > maxChars) {
        out.push(buf);
        buf = "";
      }
      buf += clause;
      while (buf.length > maxChars) {
        out.push(buf.slice(0, maxChars));
        buf = buf.slice(maxChars);
      }
    }
    if (buf) out.push(buf);
  }
  return out.map((s) => s.trim()).filter(Boolean);
}

const hanCount = (s: string) => s.match(/\p{Script=Han}/gu)?.length ?? 0;

interface Piece {
  text: string;
  /** continues the previous piece's line (a sentence of a long paragraph) */
  sameLine: boolean;
  heading: boolean;
}

const joinPieces = (pieces: Piece[]) =>
  pieces.map((p, i) => (i === 0 ? p.text : p.sameLine ? p.text : `\n${p.text}`)).join("");

/** The title a document gives itself in its first line, when that line is a short title. */
export function leadingTitle(text: string): string | null {
  const first = text.split("\n", 1)[0]?.trim() ?? "";
  const md = /^#\s+(.+)/.exec(first);
  if (md) return md[1]!.trim();
  return first && isShort(first) && first.length <= 30 && !numbering(first) && !LABEL.test(first)
    ? first
    : null;
}

export function splitPassages(text: string, docTitle: string, options: SplitOptions = {}): Passage[] {
  const maxChars = options.maxChars ?? MAX_CHARS;
  const minChars = options.minChars ?? MIN_CHARS;
  const lines = text
    .replace(INLINE_ITEM, "\n")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const markdown = lines.some((l) => /^#{1,6}\s/.test(l));

  /** heading path; entries carry their level (untitled levels stay empty) */
  const stack: { level: number; text: string; style: string | null }[] = [];
  const styleLevels = new Map<string, number>();
  const out: Passage[] = [];
  let pieces: Piece[] = [];
  let size = 0;
  let title = docTitle;
  const currentTitle = () => stack.map((h) => h.text).join(" › ") || docTitle;
  const flush = () => {
    while (pieces.length && pieces[pieces.length - 1]!.heading) pieces.pop(); // it heads the next passage
    if (pieces.length) out.push({ title, text: joinPieces(pieces) });
    pieces = [];
    size = 0;
  };
  const add = (piece: Piece) => {
    if (pieces.length && size + piece.text.length > maxChars) flush();
    if (!pieces.length) title = currentTitle();
    pieces.push(piece);
    size += piece.text.length;
  };

  let lastWasHeading = false;
  lines.forEach((line, i) => {
    const kind = classify(line, lines[i + 1], markdown);
    if (kind.kind === "label") return;
    if (kind.kind === "content") {
      lastWasHeading = false;
      const parts = line.length > maxChars ? sentences(line, maxChars) : [line];
      for (const [k, p] of parts.entries()) add({ text: p, sameLine: k > 0, heading: false });
      return;
    }
    const heading = line.replace(/^#{1,6}\s+/, "").trim();
    if (heading === docTitle) return;
    // a section with text of its own stands alone, however short (a Q/A answer, a step of a
    // process); only a run of bare headings (an outline) is gathered under the first of them
    if (size >= minChars || pieces.some((p) => !p.heading && hanCount(p.text) >= 8)) flush();
    else if (pieces.length) add({ text: heading, sameLine: false, heading: true }); // too little to stand alone
    if (kind.style === null) {
      // an unnumbered title: the subtitle of a heading right above it, else a child of the current section
      const last = stack[stack.length - 1];
      if (lastWasHeading && last) last.text = `${last.text} ${heading}`;
      else if (last && last.style === null) last.text = heading;
      else stack.push({ level: (last?.level ?? 0) + 1, text: heading, style: null });
    } else {
      const level = kind.markdownLevel ?? styleLevels.get(kind.style) ?? styleLevels.size + 1;
      if (!kind.markdownLevel) styleLevels.set(kind.style, level);
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      stack.push({ level, text: heading, style: kind.style });
    }
    lastWasHeading = true;
  });
  flush();

  // a tiny last piece of a section joins the passage before it when that stays near the cap
  const merged: Passage[] = [];
  for (const p of out) {
    const prev = merged[merged.length - 1];
    if (
      prev &&
      prev.title === p.title &&
      p.text.length < minChars / 2 &&
      prev.text.length + p.text.length <= maxChars * 1.25
    ) {
      prev.text = `${prev.text}\n${p.text}`;
    } else merged.push({ ...p });
  }
  return merged.filter((p) => hanCount(p.text) >= 8);
}
