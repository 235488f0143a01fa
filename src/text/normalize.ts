import { toSimplified } from "./script.ts";

/**
 * Text normalisation shared by retrieval and compliance, keeping a map back to the original.
 *
 * - NFKC (full-width → half-width, compatibility forms), lower case
 * - zero-width and soft-hyphen characters dropped
 * - Traditional → Simplified (opencc-js)
 * - compact mode: every character that is not a letter or a digit is dropped (so 坐 牢, 老-赖, 老*赖
 *   all read 坐牢 / 老赖), except clause and sentence boundaries, kept as CLAUSE_MARK / SENTENCE_MARK.
 */
export interface Normalized {
  /** the normalised text */
  text: string;
  /** for each UTF-16 unit of `text`, the index of the original character it came from */
  map: number[];
}

/** Marks, in compact text, where a clause (, : ;) or a sentence (。 ! ? newline) ended. */
export const CLAUSE_MARK = "|";
export const SENTENCE_MARK = "#";
const INVISIBLE = /^(?:[\u200B-\u200F\u2060-\u2064\uFEFF\u00AD\u180E]|\u034F)$/;
const CLAUSE_BREAK = new Set([",", ":", ";", "|"]);
const SENTENCE_BREAK = new Set(["。", "!", "?", "\n", "\r", "…", "#"]);
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isCjk(code: number): boolean {
  return code >= 0x4e00 && code <= 0x9fff;
}

export function normalize(input: string, options: { compact?: boolean } = {}): Normalized {
  const compact = options.compact ?? false;
  let out = "";
  const map: number[] = [];
  let lastMark = SENTENCE_MARK;
  for (let i = 0; i < input.length; ) {
    const code = input.charCodeAt(i);
    // fast path: CJK ideographs, ASCII lower-case letters and digits are stable under every step
    if (isCjk(code) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) {
      out += input[i];
      map.push(i);
      lastMark = "";
      i++;
      continue;
    }
    const codePoint = input.codePointAt(i)!;
    const width = codePoint > 0xffff ? 2 : 1;
    const raw = input.slice(i, i + width);
    let piece: string;
    if (INVISIBLE.test(raw)) piece = "";
    else piece = raw.normalize("NFKC").toLowerCase();
    if (compact && piece) {
      if (LETTER_OR_DIGIT.test(piece)) {
        lastMark = "";
      } else if (piece === ":" && /\d$/.test(out) && /\d/.test((input[i + 1] ?? "").normalize("NFKC"))) {
        // 22:30 stays a time
      } else if (SENTENCE_BREAK.has(piece) || CLAUSE_BREAK.has(piece)) {
        const mark = SENTENCE_BREAK.has(piece) ? SENTENCE_MARK : CLAUSE_MARK;
        if (lastMark === "") {
          piece = mark;
        } else if (mark === SENTENCE_MARK && lastMark === CLAUSE_MARK) {
          out = `${out.slice(0, -1)}${SENTENCE_MARK}`;
          piece = "";
        } else piece = "";
        if (piece || mark === SENTENCE_MARK) lastMark = mark;
      } else {
        piece = "";
      }
    }
    for (let k = 0; k < piece.length; k++) map.push(i);
    out += piece;
    i += width;
  }
  const simp = toSimplified(out);
  if (simp.length === out.length) return { text: simp, map };
  // phrase conversion changed the length: convert character by character instead
  let text = "";
  const map2: number[] = [];
  for (let k = 0; k < out.length; k++) {
    const c = toSimplified(out[k]!);
    text += c;
    for (let j = 0; j < c.length; j++) map2.push(map[k]!);
  }
  return { text, map: map2 };
}

/** Original-text span [start, end) for a normalised span [from, to). */
export function originalSpan(n: Normalized, from: number, to: number, original: string): [number, number] {
  const start = n.map[from] ?? 0;
  const lastIdx = n.map[Math.max(from, to - 1)] ?? start;
  const cp = original.codePointAt(lastIdx) ?? 0;
  return [start, lastIdx + (cp > 0xffff ? 2 : 1)];
}
