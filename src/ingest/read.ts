import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import mammoth from "mammoth";

/** File types ingestion can read. PDF is not among them: no PDF text extractor is installed. */
export const SUPPORTED_EXTENSIONS = [".txt", ".md", ".markdown", ".docx"] as const;

export type ReadOutcome =
  | { ok: true; text: string; format: "text" | "markdown" | "docx" }
  | { ok: false; reason: string };

const UNSUPPORTED_HINTS: Record<string, string> = {
  ".pdf": "PDF is not supported yet (no PDF text extractor installed); save it as .docx or .txt",
  ".doc": "old binary Word (.doc) is not supported; save it as .docx",
  ".ppt": "PowerPoint is not supported; save the slides as .docx or .txt",
  ".pptx": "PowerPoint is not supported; save the slides as .docx or .txt",
};

export function isSupported(file: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase());
}

/**
 * Decode a text file: BOM first (UTF-8, UTF-16), then strict UTF-8, then GB18030 (what Chinese
 * Windows tools save by default). A file with NUL bytes that is not UTF-16 is binary, not text.
 */
export function decodeText(buf: Uint8Array): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return new TextDecoder("utf-8").decode(buf.subarray(3));
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder("utf-16le").decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder("utf-16be").decode(buf.subarray(2));
  if (buf.includes(0)) throw new Error("binary content (NUL bytes), not a text file");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder("gb18030", { fatal: true }).decode(buf);
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** mammoth's HTML (a small, well-formed subset) → lines of text, headings kept as Markdown `#`. */
export function docxHtmlToText(html: string): string {
  return html
    .replace(/<h([1-6])[^>]*>/g, (_m, n: string) => `\n${"#".repeat(Number(n))} `)
    .replace(/<\/(h[1-6]|p|li|tr|table|ul|ol)>/g, "\n")
    .replace(/<li[^>]*>/g, "\n")
    .replace(/<\/t[dh]>/g, " | ")
    .replace(/<br\s*\/?>/g, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

async function readDocx(buf: Buffer): Promise<string> {
  const result = await mammoth.convertToHtml(
    { buffer: buf },
    { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
  );
  return docxHtmlToText(result.value);
}

/** Read one file into text; never throws: a file that cannot be read is reported with the reason. */
export async function readDocument(path: string): Promise<ReadOutcome> {
  const ext = extname(path).toLowerCase();
  if (!isSupported(path)) {
    return { ok: false, reason: UNSUPPORTED_HINTS[ext] ?? `unsupported file type "${ext || "(none)"}"` };
  }
  try {
    const buf = await readFile(path);
    if (buf.length === 0) return { ok: false, reason: "empty file" };
    if (ext === ".docx") {
      const text = await readDocx(buf);
      if (!text.trim()) return { ok: false, reason: "no text found in the document" };
      return { ok: true, text, format: "docx" };
    }
    const text = decodeText(buf);
    if (!text.trim()) return { ok: false, reason: "no text found in the file" };
    return { ok: true, text, format: ext === ".txt" ? "text" : "markdown" };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const reason = ext === ".docx" ? `not a readable .docx (${firstLine(msg)})` : firstLine(msg);
    return { ok: false, reason };
  }
}

function firstLine(s: string): string {
  const line = s.split("\n")[0] ?? s;
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
