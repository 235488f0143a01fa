import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Logger } from "../bot/logger.ts";
import type { Hit, SearchDoc } from "../retrieval/retriever.ts";
import type { LlmClient } from "./client.ts";
import type { HybridSearch } from "./llm-coach.ts";
import { redactPii } from "./pii.ts";

const cacheSchema = z.record(z.string(), z.array(z.number()));
const RRF_K = 60;
const CANDIDATES = 20;
const BATCH = 32;
const MAX_CHARS = 2000;

/** Reciprocal rank fusion: score(d) = Σ 1/(k + rank) over the ranked lists that hold d. */
export function reciprocalRankFusion(lists: string[][], k = RRF_K): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const list of lists)
    list.forEach((id, rank) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1));
    });
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length && i < b.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

const docText = (d: SearchDoc) =>
  redactPii([d.title, d.triggers, d.diagnosis, d.body].filter(Boolean).join("\n")).slice(0, MAX_CHARS);
const hashOf = (model: string, text: string) =>
  createHash("sha256").update(`${model}\n${text}`).digest("hex");

/**
 * Vectors for every entry and passage, cached on disk by content hash (a changed entry is embedded
 * again, an unchanged one never), and hybrid ranking: the lexical list and the vector list fused by
 * reciprocal rank. Until the vectors are there, the lexical order stands.
 */
export class EmbeddingIndex implements HybridSearch {
  private vectors = new Map<string, number[]>();
  private warming: Promise<void> | undefined;
  private ready = false;
  private readonly file: string;
  private readonly model: string;

  constructor(
    private readonly client: LlmClient,
    private readonly docs: SearchDoc[],
    dir: string,
    private readonly logger: Logger,
  ) {
    this.model = client.embeddingModel ?? "none";
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${this.model.replace(/[^\w.-]/g, "_")}.json`);
  }

  /** Start embedding what the disk cache lacks, in the background; safe to call again. */
  warm(): Promise<void> {
    this.warming ??= this.build().catch((err: unknown) => {
      this.logger.warn("embedding index not built; lexical ranking only", { err });
      this.warming = undefined;
    });
    return this.warming;
  }

  get isReady(): boolean {
    return this.ready;
  }

  async search(question: string, lexical: Hit[], timeoutMs: number): Promise<Hit[]> {
    if (!this.ready) {
      void this.warm();
      return lexical;
    }
    const [q] = await this.client.embed([redactPii(question)], timeoutMs);
    const byVector = [...this.vectors]
      .map(([id, v]) => ({ id, s: cosine(q!, v) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, CANDIDATES)
      .map((x) => x.id);
    const fused = reciprocalRankFusion([lexical.map((h) => h.id), byVector]);
    const known = new Map(lexical.map((h) => [h.id, h]));
    const docs = new Map(this.docs.map((d) => [d.id, d]));
    return fused.slice(0, Math.max(lexical.length, 5)).flatMap(({ id }) => {
      const lex = known.get(id);
      if (lex) return [lex];
      const d = docs.get(id);
      if (!d) return [];
      const hit: Hit = { id, kind: d.kind, title: d.title, codes: d.codes, score: 0 };
      return [d.source ? { ...hit, source: d.source } : hit];
    });
  }

  private async build(): Promise<void> {
    const cached = this.readCache();
    const todo: Array<{ id: string; text: string; hash: string }> = [];
    for (const d of this.docs) {
      const text = docText(d);
      const hash = hashOf(this.model, text);
      const v = cached[hash];
      if (v) this.vectors.set(d.id, v);
      else todo.push({ id: d.id, text, hash });
    }
    for (let i = 0; i < todo.length; i += BATCH) {
      const batch = todo.slice(i, i + BATCH);
      const vectors = await this.client.embed(
        batch.map((b) => b.text),
        60_000,
      );
      batch.forEach((b, j) => {
        this.vectors.set(b.id, vectors[j]!);
        cached[b.hash] = vectors[j]!;
      });
      writeFileSync(this.file, JSON.stringify(cached));
    }
    this.ready = true;
    this.logger.info("embedding index ready", { docs: this.vectors.size, embedded: todo.length });
  }

  private readCache(): Record<string, number[]> {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(this.file, "utf8")));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }
}
