import { mkdirSync } from "node:fs";
import { join } from "node:path";
import KeyvSqlite from "@keyv/sqlite";
import Keyv from "keyv";
import { describeLocation, guarded, StorageError } from "./errors.ts";

export interface KvOptions {
  /** directory for the embedded SQLite file (created when missing) */
  dataDir: string;
  /** when set, Redis is used instead of SQLite */
  redisUrl?: string | undefined;
  /** SQLite file name under dataDir */
  file?: string;
  /** key namespace (tests use one per case) */
  namespace?: string;
  /** called for every failed storage operation (logs, metrics) before it is thrown */
  onError?: (err: StorageError) => void;
  /** Redis only: connection attempts at start-up before giving up (default 1) */
  connectAttempts?: number;
  /** Redis only: called when a start-up connection attempt fails and another follows */
  onRetry?: (err: StorageError, attempt: number, delayMs: number) => void;
}

/**
 * The typed key-value store every repository is written against. Two back ends with the same
 * semantics: SQLite for one process (operations serialised in memory), Redis for several
 * instances (atomic server-side operations). Every failure throws a StorageError.
 */
export interface Kv {
  readonly backend: "sqlite" | "redis";
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<Array<T | undefined>>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  setMany<T>(entries: Array<{ key: string; value: T; ttl?: number }>): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Run fn while holding the lock for key (across instances on Redis). */
  locked<R>(key: string, fn: () => Promise<R>): Promise<R>;
  /** Read-modify-write one key atomically (compare-and-set on Redis). Returning undefined deletes it. */
  update<T>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined>;
  /** Read a key and delete it in one step: only one caller ever gets the value. */
  take<T>(key: string): Promise<T | undefined>;
  /** Claim key for ttlMs: true for exactly one caller (durable). */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** First sighting of key within ttlMs (update de-duplication; in memory on SQLite). */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Count within a fixed window of windowMs that opens at the first hit (clock time nowMs);
   * returns the count including this call and when the window opened (in memory on SQLite).
   */
  hit(key: string, windowMs: number, nowMs: number): Promise<{ count: number; start: number }>;
  /** Atomic counter in a hash. */
  hincr(key: string, field: string, by?: number): Promise<number>;
  hset(key: string, field: string, value: string): Promise<void>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, fields: string[]): Promise<void>;
  /** Set membership (atomic add/remove). */
  sadd(key: string, member: string): Promise<boolean>;
  srem(key: string, member: string): Promise<boolean>;
  smembers(key: string): Promise<string[]>;
  /** How many members a set has. */
  scard(key: string): Promise<number>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** In-process lock chain per key. */
export class LocalLocks {
  private readonly locks = new Map<string, Promise<unknown>>();

  async run<R>(key: string, fn: () => Promise<R>): Promise<R> {
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
}

/** Short-lived in-memory windows for one process (de-duplication, flood limit). */
class MemoryWindows {
  private readonly m = new Map<string, { start: number; until: number; n: number }>();
  hit(key: string, ttlMs: number, now = Date.now()): { count: number; start: number } {
    let w = this.m.get(key);
    if (!w || w.until <= now) {
      w = { start: now, until: now + ttlMs, n: 0 };
      this.m.set(key, w);
      if (this.m.size > 100_000) for (const [k, v] of this.m) if (v.until <= now) this.m.delete(k);
    }
    return { count: ++w.n, start: w.start };
  }
}

/** The embedded store: keyv over a SQLite file (WAL), one process. keyv throws on every error. */
export class KeyvKv implements Kv {
  readonly backend = "sqlite" as const;
  private readonly locks = new LocalLocks();
  private readonly windows = new MemoryWindows();
  constructor(
    readonly keyv: Keyv,
    private readonly location: string,
    private readonly onClose: () => Promise<void>,
    private readonly onError?: (err: StorageError) => void,
  ) {}

  private op<R>(op: string, key: string, fn: () => Promise<R>): Promise<R> {
    return guarded(op, key, this.location, this.onError, fn);
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.op("get", key, async () => (await this.keyv.get(key)) as T | undefined);
  }

  getMany<T>(keys: string[]): Promise<Array<T | undefined>> {
    if (!keys.length) return Promise.resolve([]);
    return this.op("getMany", keys[0]!, async () => (await this.keyv.getMany(keys)) as Array<T | undefined>);
  }

  set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    return this.op("set", key, async () => {
      if (!(await this.keyv.set(key, value, ttlMs))) throw new Error("write refused");
    });
  }

  setMany<T>(entries: Array<{ key: string; value: T; ttl?: number }>): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return this.op("setMany", entries[0]!.key, async () => {
      const ok = await this.keyv.setMany(entries);
      if (ok.some((x) => !x)) throw new Error("write refused");
    });
  }

  delete(key: string): Promise<boolean> {
    return this.op("delete", key, () => this.keyv.delete(key));
  }

  locked<R>(key: string, fn: () => Promise<R>): Promise<R> {
    return this.locks.run(key, fn);
  }

  update<T>(
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

  take<T>(key: string): Promise<T | undefined> {
    return this.locked(key, async () => {
      const v = await this.get<T>(key);
      if (v !== undefined) await this.delete(key);
      return v;
    });
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.locked(key, async () => {
      if ((await this.get(key)) !== undefined) return false;
      await this.set(key, 1, ttlMs);
      return true;
    });
  }

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    return this.windows.hit(key, ttlMs).count === 1;
  }

  async hit(key: string, windowMs: number, nowMs: number): Promise<{ count: number; start: number }> {
    return this.windows.hit(key, windowMs, nowMs);
  }

  async hincr(key: string, field: string, by = 1): Promise<number> {
    const h = await this.update<Record<string, string>>(key, (cur) => {
      const n = { ...(cur ?? {}) };
      n[field] = String(Number(n[field] ?? 0) + by);
      return n;
    });
    return Number(h![field]);
  }

  async hset(key: string, field: string, value: string): Promise<void> {
    await this.update<Record<string, string>>(key, (cur) => ({ ...(cur ?? {}), [field]: value }));
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return (await this.get<Record<string, string>>(key)) ?? {};
  }

  async hdel(key: string, fields: string[]): Promise<void> {
    await this.update<Record<string, string>>(key, (cur) => {
      const n = { ...(cur ?? {}) };
      for (const f of fields) delete n[f];
      return n;
    });
  }

  /** Sets are JSON arrays (the format the user index always had). */
  async sadd(key: string, member: string): Promise<boolean> {
    let added = false;
    await this.update<Array<string | number>>(key, (cur) => {
      const list = cur ?? [];
      if (list.some((x) => String(x) === member)) return list;
      added = true;
      return [...list, member];
    });
    return added;
  }

  async srem(key: string, member: string): Promise<boolean> {
    let removed = false;
    await this.update<Array<string | number>>(key, (cur) => {
      const list = cur ?? [];
      const next = list.filter((x) => String(x) !== member);
      removed = next.length !== list.length;
      return next;
    });
    return removed;
  }

  async smembers(key: string): Promise<string[]> {
    return ((await this.get<Array<string | number>>(key)) ?? []).map(String);
  }

  async scard(key: string): Promise<number> {
    return (await this.smembers(key)).length;
  }

  async ping(): Promise<void> {
    await this.get("__ping__");
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

/** SQLite file under dataDir (WAL, survives crashes); start-up errors name DATA_DIR. */
export async function createSqliteKv(options: KvOptions): Promise<KeyvKv> {
  const namespace = options.namespace ?? "coach";
  const location = describeLocation({ dataDir: options.dataDir });
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const store = new KeyvSqlite({
      uri: `sqlite://${join(options.dataDir, options.file ?? "coach.sqlite")}`,
      busyTimeout: 5000,
    });
    store.on("error", () => undefined); // thrown to the caller as well
    await store.query("PRAGMA journal_mode=WAL");
    await store.query("PRAGMA synchronous=NORMAL");
    const keyv = new Keyv({ store, namespace, throwOnErrors: true });
    keyv.on("error", () => undefined); // every error is also thrown (throwOnErrors) and reported there
    const kv = new KeyvKv(keyv, location, () => keyv.disconnect(), options.onError);
    // a store that cannot be written is refused at start-up, not at the first user's answer
    await kv.set("__ping__", Date.now());
    return kv;
  } catch (err) {
    throw err instanceof StorageError ? err : new StorageError("open", "coach.sqlite", location, err);
  }
}

/** SQLite by default; Redis (atomic, several instances) when redisUrl is given. */
export async function createKv(options: KvOptions): Promise<Kv> {
  if (options.redisUrl) {
    const { createRedisKv } = await import("./redis-kv.ts");
    return createRedisKv(options);
  }
  return createSqliteKv(options);
}

/** `new Kv(keyv, …)` as before: the keyv-backed store (tests build one over an in-memory Keyv). */
export const Kv = KeyvKv;
