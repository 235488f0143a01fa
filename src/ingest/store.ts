import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CoachError } from "../errors.ts";
import type { SearchDoc } from "../retrieval/retriever.ts";
import type { ScreenReason } from "./screen.ts";

/**
 * The ingested-passages file (DATA_DIR/ingested/passages.json). `passages` is what
 * loadServedPassages serves; `quarantined` and `files` record what was held back and where
 * everything came from, so a folder can be ingested again in place.
 */
export interface QuarantinedPassage {
  id: string;
  folder: string;
  file: string;
  title: string;
  body: string;
  source: string;
  reasons: ScreenReason[];
}

/** A passage that is not about collecting (job talk, advice for debtors), kept with the reason. */
export interface SetAsidePassage {
  folder: string;
  file: string;
  title: string;
  excerpt: string;
  reason: string;
}

export interface FileRecord {
  /** absolute path of the ingested folder */
  folder: string;
  /** path inside the folder */
  file: string;
  status: "ok" | "failed";
  reason?: string;
  sha256?: string;
  /** ids of the served passages that came from this file */
  passageIds: string[];
  quarantined: number;
  duplicatesDropped: number;
}

export interface PassageStore {
  version: 1;
  updatedAt: string;
  passages: SearchDoc[];
  quarantined: QuarantinedPassage[];
  setAside: SetAsidePassage[];
  files: FileRecord[];
}

export function emptyStore(): PassageStore {
  return {
    version: 1,
    updatedAt: new Date(0).toISOString(),
    passages: [],
    quarantined: [],
    setAside: [],
    files: [],
  };
}

export function readStore(file: string): PassageStore {
  if (!existsSync(file)) return emptyStore();
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<PassageStore>;
    return {
      ...emptyStore(),
      ...data,
      passages: data.passages ?? [],
      quarantined: data.quarantined ?? [],
      setAside: data.setAside ?? [],
      files: data.files ?? [],
    };
  } catch (err) {
    throw new CoachError("INGEST_UNREADABLE", [`${file}: ${(err as Error).message}`]);
  }
}

/** Everything in the store that did not come from `folder`. */
export function withoutFolder(store: PassageStore, folder: string): PassageStore {
  const ids = new Set(store.files.filter((f) => f.folder === folder).flatMap((f) => f.passageIds));
  return {
    ...store,
    passages: store.passages.filter((p) => !ids.has(p.id)),
    quarantined: store.quarantined.filter((q) => q.folder !== folder),
    setAside: store.setAside.filter((q) => q.folder !== folder),
    files: store.files.filter((f) => f.folder !== folder),
  };
}

/** Write the store atomically (a reader never sees half a file). */
export async function writeStore(file: string, store: PassageStore): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(store, null, 2)}\n`, "utf8");
  await rename(tmp, file);
}
