import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, relative, resolve, sep } from "node:path";
import { passagesFile } from "../core/from-config.ts";
import { CoachError } from "../errors.ts";
import type { SearchDoc } from "../retrieval/retriever.ts";
import { cleanText } from "./clean.ts";
import { dedupe, dedupeKey } from "./dedupe.ts";
import { readDocument } from "./read.ts";
import { type ScreeningEngine, type ScreenReason, screen } from "./screen.ts";
import { leadingTitle, splitPassages } from "./split.ts";
import {
  type FileRecord,
  type QuarantinedPassage,
  readStore,
  type SetAsidePassage,
  withoutFolder,
  writeStore,
} from "./store.ts";
import { offTopicReason, summaryTitle } from "./topic.ts";

export interface IngestOptions {
  /** where passages.json lives (DATA_DIR) */
  dataDir: string;
  /** every passage is screened by it; a violating passage is quarantined */
  engine: ScreeningEngine;
  /** scenario codes of a passage (e.g. those of the curated entry it is most about); none by default */
  tag?: (title: string, text: string) => string[];
  /** called before each file is read and once at the end (done === total) */
  onProgress?: (done: number, total: number, file: string) => void;
}

export interface IngestSummary {
  folder: string;
  /** files read and indexed */
  files: number;
  /** passages now served from this folder */
  passages: number;
  duplicatesDropped: number;
  quarantined: { id: string; file: string; title: string; excerpt: string; reasons: ScreenReason[] }[];
  /** passages that are not about collecting (job talk, advice for debtors), not served */
  setAside: { file: string; title: string; reason: string }[];
  failedFiles: { file: string; reason: string }[];
  /** the passages file written */
  store: string;
}

interface Candidate {
  id: string;
  file: string;
  /** the document's own title (readable, unlike a hashed file name) */
  docTitle: string;
  title: string;
  text: string;
}

/** All files under `folder` (sorted, relative paths), leaving out hidden files and Office lock files. */
async function listFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name.startsWith("~$")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) out.push(relative(folder, path).split(sep).join("/"));
    }
  };
  await walk(folder);
  return out.sort();
}

function hash(text: string | Buffer, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A stable id: the file's name and a hash of the passage's normalised content. */
export function passageId(file: string, text: string): string {
  return `${file}#${hash(dedupeKey(text), 12)}`;
}

function excerpt(text: string, n = 60): string {
  return text.length > n ? `${text.slice(0, n)}…` : text;
}

/**
 * Ingest a folder of training documents: read, clean, split, deduplicate, screen, and store the
 * passages next to those of other folders. Ingesting the same folder again replaces what it gave
 * before. A file that cannot be read is reported and skipped; only an unreadable folder throws.
 */
export async function ingestFolder(folderArg: string, options: IngestOptions): Promise<IngestSummary> {
  const folder = resolve(folderArg);
  let files: string[];
  try {
    if (!(await stat(folder)).isDirectory()) throw new Error("not a folder");
    files = await listFiles(folder);
  } catch (err) {
    throw new CoachError("INGEST_UNREADABLE", [`${folderArg}: ${(err as Error).message}`]);
  }

  const storeFile = passagesFile({ DATA_DIR: options.dataDir });
  const previous = readStore(storeFile);
  const others = withoutFolder(previous, folder);

  const records = new Map<string, FileRecord>();
  const failedFiles: IngestSummary["failedFiles"] = [];
  const candidates: Candidate[] = [];
  const setAside: SetAsidePassage[] = [];
  for (const [i, file] of files.entries()) {
    options.onProgress?.(i, files.length, file);
    const path = join(folder, file);
    const read = await readDocument(path);
    if (!read.ok) {
      failedFiles.push({ file, reason: read.reason });
      records.set(file, {
        folder,
        file,
        status: "failed",
        reason: read.reason,
        passageIds: [],
        quarantined: 0,
        duplicatesDropped: 0,
      });
      continue;
    }
    const cleaned = cleanText(read.text);
    const docTitle =
      cleaned.title ??
      leadingTitle(cleaned.text) ??
      summaryTitle(cleaned.text) ??
      basename(file, extname(file));
    for (const p of splitPassages(cleaned.text, docTitle)) {
      const reason = offTopicReason(p.title, p.text);
      if (reason) setAside.push({ folder, file, title: p.title, excerpt: excerpt(p.text), reason });
      else candidates.push({ id: passageId(file, p.text), file, docTitle, title: p.title, text: p.text });
    }
    records.set(file, {
      folder,
      file,
      status: "ok",
      sha256: hash(await readFile(path), 64),
      passageIds: [],
      quarantined: 0,
      duplicatesDropped: 0,
    });
  }
  options.onProgress?.(files.length, files.length, "");

  const seen: Candidate[] = others.passages.map((p) => ({
    id: p.id,
    file: p.source ?? "",
    docTitle: p.docTitle ?? "",
    title: p.title,
    text: p.body,
  }));
  const { kept, dropped } = dedupe(candidates, (c) => c.text, { seen });
  for (const d of dropped) records.get(d.item.file)!.duplicatesDropped++;

  const screened = screen(kept, (c) => `${c.title}\n${c.text}`, options.engine);
  const docs: SearchDoc[] = screened.clean.map((c) => {
    records.get(c.file)!.passageIds.push(c.id);
    return {
      id: c.id,
      kind: "passage",
      title: c.title,
      codes: options.tag?.(c.title, c.text) ?? [],
      triggers: "",
      keywords: "",
      diagnosis: "",
      body: c.text,
      source: c.title === c.docTitle ? c.docTitle : `${c.docTitle} › ${c.title}`,
      file: c.file,
      docTitle: c.docTitle,
    };
  });
  const quarantined: QuarantinedPassage[] = screened.quarantined.map(({ item, reasons }) => {
    records.get(item.file)!.quarantined++;
    return {
      id: item.id,
      folder,
      file: item.file,
      title: item.title,
      body: item.text,
      source: `${item.file} › ${item.title}`,
      reasons,
    };
  });

  await writeStore(storeFile, {
    version: 1,
    updatedAt: new Date().toISOString(),
    passages: [...others.passages, ...docs],
    quarantined: [...others.quarantined, ...quarantined],
    setAside: [...others.setAside, ...setAside],
    files: [...others.files, ...records.values()],
  });

  return {
    folder,
    files: [...records.values()].filter((r) => r.status === "ok").length,
    passages: docs.length,
    duplicatesDropped: dropped.length,
    quarantined: quarantined.map((q) => ({
      id: q.id,
      file: q.file,
      title: q.title,
      excerpt: excerpt(q.body),
      reasons: q.reasons,
    })),
    setAside: setAside.map(({ file, title, reason }) => ({ file, title, reason })),
    failedFiles,
    store: storeFile,
  };
}
