import { mkdirSync } from "node:fs";
import { join } from "node:path";
import KeyvRedis from "@keyv/redis";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";

export interface KvOptions {
  /** directory for the embedded SQLite file (created when missing) */
  dataDir: string;
  /** when set, Redis is used instead of SQLite */
  redisUrl?: string | undefined;
  /** SQLite file name under dataDir */
  file?: string;
  /** key namespace (tests use one per case) */
  namespace?: string;
}

/**
 * A small typed key-value store over keyv: JSON values, optional TTL, and read-modify-write
 * under a per-key lock (one bot process owns its data; the lock keeps concurrent handlers apart).
 */
export class Kv {
  private readonly locks = new Map<string, Promise<unknown>>();
  constructor(
    readonly keyv: Keyv,
    readonly backend: "sqlite" | "redis",
    private readonly onClose: () => Promise<void>,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.keyv.get(key)) as T | undefined;
  }

  async getMany<T>(keys: string[]): Promise<Array<T | undefined>> {
    if (!keys.length) return [];
    return (await this.keyv.getMany(keys)) as Array<T | undefined>;
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    await this.keyv.set(key, value, ttlMs);
  }

  async setMany<T>(entries: Array<{ key: string; value: T; ttl?: number }>): Promise<void> {
    if (!entries.length) return;
    await this.keyv.setMany(entries);
  }

  async delete(key: string): Promise<boolean> {
    return this.keyv.delete(key);
  }

  /** Run fn while holding the in-process lock for key. */
  async locked<R>(key: string, fn: () => Promise<R>): Promise<R> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const chained = prev.then(() => mine);
    this.locks.set(key, chained);
    await prev.catch(() => undefined);
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(key) === chained) this.locks.delete(key);
    }
  }

  /** Read-modify-write one key atomically (within this process). Returning undefined deletes it. */
  async update<T>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.locked(key, async () => {
      const next = fn(await this.get<T>(key));
      if (next === undefined) await this.delete(key);
      else await this.set(key, next, ttlMs);
      return next;
    });
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

/** SQLite file under dataDir by default (WAL, survives crashes); Redis when redisUrl is given. */
export async function createKv(options: KvOptions): Promise<Kv> {
  const namespace = options.namespace ?? "coach";
  if (options.redisUrl) {
    const store = new KeyvRedis(options.redisUrl);
    const keyv = new Keyv({ store, namespace });
    keyv.on("error", () => undefined);
    await keyv.get("__ping__");
    return new Kv(keyv, "redis", () => keyv.disconnect());
  }
  mkdirSync(options.dataDir, { recursive: true });
  const store = new KeyvSqlite({
    uri: `sqlite://${join(options.dataDir, options.file ?? "coach.sqlite")}`,
    busyTimeout: 5000,
  });
  await store.query("PRAGMA journal_mode=WAL");
  await store.query("PRAGMA synchronous=NORMAL");
  const keyv = new Keyv({ store, namespace });
  keyv.on("error", () => undefined);
  return new Kv(keyv, "sqlite", () => keyv.disconnect());
}
