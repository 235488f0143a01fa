import { randomBytes } from "node:crypto";
import { Redis, type Result } from "ioredis";
import { describeLocation, guarded, StorageError } from "./errors.ts";
import { type Kv, type KvOptions, LocalLocks } from "./kv.ts";

declare module "ioredis" {
  interface RedisCommander<Context> {
    /** set KEYS[1] to ARGV[3] (delete when empty) only if it still holds ARGV[2] (absent when ARGV[1] is 0) */
    casSet(
      key: string,
      present: string,
      expected: string,
      next: string,
      ttlMs: string,
    ): Result<number, Context>;
    /** delete KEYS[1] only if it holds ARGV[1] (lock release) */
    releaseLock(key: string, token: string): Result<number, Context>;
    /** count a hit in the window that opened at the first hit; returns [count, window start] */
    windowHit(key: string, nowMs: string, windowMs: string): Result<[number, number], Context>;
  }
}

const CAS_LUA = `
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
elseif tonumber(ARGV[4]) > 0 then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[3])
end
return 1`;

const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

const WINDOW_LUA = `
local start = tonumber(redis.call('HGET', KEYS[1], 's'))
local now = tonumber(ARGV[1])
if not start or now - start >= tonumber(ARGV[2]) or now < start then
  start = now
  redis.call('HSET', KEYS[1], 's', now, 'c', 0)
  redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
end
return {redis.call('HINCRBY', KEYS[1], 'c', 1), start}`;

const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** keyv's value envelope, so data written by earlier versions (keyv over Redis) reads the same. */
const encode = (value: unknown, ttlMs?: number) =>
  JSON.stringify(ttlMs ? { value, expires: Date.now() + ttlMs } : { value });
function decode<T>(raw: string | null): T | undefined {
  if (raw === null) return undefined;
  const d = JSON.parse(raw) as { value?: T; expires?: number };
  if (typeof d.expires === "number" && Date.now() > d.expires) return undefined;
  return d.value;
}

/**
 * Redis as the shared store of several instances: nothing cached in the process, every shared
 * change is one atomic server-side operation (SET NX, GETDEL, HINCRBY, SADD, a compare-and-set
 * script), and a command that fails (connection down, timeout) throws instead of reading as
 * "no value". Keys: `<ns>::<ns>:<key>`, the layout keyv used.
 */
export class RedisKv implements Kv {
  readonly backend = "redis" as const;
  private readonly local = new LocalLocks();
  constructor(
    readonly client: Redis,
    private readonly ns: string,
    private readonly location: string,
    private readonly onError?: (err: StorageError) => void,
  ) {
    client.defineCommand("casSet", { numberOfKeys: 1, lua: CAS_LUA });
    client.defineCommand("releaseLock", { numberOfKeys: 1, lua: RELEASE_LUA });
    client.defineCommand("windowHit", { numberOfKeys: 1, lua: WINDOW_LUA });
  }

  /** The physical Redis key of a logical key. */
  key(k: string): string {
    return `${this.ns}::${this.ns}:${k}`;
  }

  private op<R>(op: string, key: string, fn: () => Promise<R>): Promise<R> {
    return guarded(op, key, this.location, this.onError, fn);
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.op("get", key, async () => decode<T>(await this.client.get(this.key(key))));
  }

  getMany<T>(keys: string[]): Promise<Array<T | undefined>> {
    if (!keys.length) return Promise.resolve([]);
    return this.op("getMany", keys[0]!, async () =>
      (await this.client.mget(keys.map((k) => this.key(k)))).map((r) => decode<T>(r)),
    );
  }

  set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    return this.op("set", key, async () => {
      if (ttlMs) await this.client.set(this.key(key), encode(value, ttlMs), "PX", ttlMs);
      else await this.client.set(this.key(key), encode(value));
    });
  }

  setMany<T>(entries: Array<{ key: string; value: T; ttl?: number }>): Promise<void> {
    if (!entries.length) return Promise.resolve();
    return this.op("setMany", entries[0]!.key, async () => {
      const m = this.client.multi();
      for (const e of entries) {
        if (e.ttl) m.set(this.key(e.key), encode(e.value, e.ttl), "PX", e.ttl);
        else m.set(this.key(e.key), encode(e.value));
      }
      const res = await m.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error("transaction aborted");
    });
  }

  delete(key: string): Promise<boolean> {
    return this.op("delete", key, async () => (await this.client.del(this.key(key))) > 0);
  }

  /** In-process queue first (no spinning against ourselves), then a Redis lock shared by all instances. */
  locked<R>(key: string, fn: () => Promise<R>): Promise<R> {
    return this.local.run(key, async () => {
      const lockKey = `${this.key(key)}:lock`;
      const token = randomBytes(8).toString("hex");
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
        const got = await this.op("lock", key, () =>
          this.client.set(lockKey, token, "PX", LOCK_TTL_MS, "NX"),
        );
        if (got) break;
        if (Date.now() > deadline)
          throw new StorageError("lock", key, this.location, new Error("lock wait timed out"));
        await sleep(wait + Math.random() * wait);
      }
      try {
        return await fn();
      } finally {
        await this.op("unlock", key, () => this.client.releaseLock(lockKey, token)).catch(() => undefined);
      }
    });
  }

  /** Optimistic read-modify-write: a Lua compare-and-set, retried with the fresh value when another writer won. */
  update<T>(
    key: string,
    fn: (current: T | undefined) => T | undefined,
    ttlMs?: number,
  ): Promise<T | undefined> {
    return this.local.run(key, () =>
      this.op("update", key, async () => {
        const k = this.key(key);
        for (let attempt = 0; ; attempt++) {
          const raw = await this.client.get(k);
          const next = fn(decode<T>(raw));
          const nextRaw = next === undefined ? "" : encode(next, ttlMs);
          const ok = await this.client.casSet(
            k,
            raw === null ? "0" : "1",
            raw ?? "",
            nextRaw,
            String(ttlMs ?? 0),
          );
          if (ok === 1) return next;
          if (attempt > 200) throw new Error("too much contention");
          await sleep(Math.random() * Math.min(2 ** attempt, 50));
        }
      }),
    );
  }

  take<T>(key: string): Promise<T | undefined> {
    return this.op("take", key, async () => decode<T>(await this.client.getdel(this.key(key))));
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.op(
      "claim",
      key,
      async () => (await this.client.set(this.key(key), encode(1, ttlMs), "PX", ttlMs, "NX")) === "OK",
    );
  }

  firstSeen(key: string, ttlMs: number): Promise<boolean> {
    return this.claim(key, ttlMs);
  }

  hit(key: string, windowMs: number, nowMs: number): Promise<{ count: number; start: number }> {
    return this.op("hit", key, async () => {
      const [count, start] = await this.client.windowHit(this.key(key), String(nowMs), String(windowMs));
      return { count, start };
    });
  }

  hincr(key: string, field: string, by = 1): Promise<number> {
    return this.op("hincr", key, () => this.client.hincrby(this.key(key), field, by));
  }

  hset(key: string, field: string, value: string): Promise<void> {
    return this.op("hset", key, async () => {
      await this.client.hset(this.key(key), field, value);
    });
  }

  hgetall(key: string): Promise<Record<string, string>> {
    return this.op("hgetall", key, () => this.client.hgetall(this.key(key)));
  }

  hdel(key: string, fields: string[]): Promise<void> {
    if (!fields.length) return Promise.resolve();
    return this.op("hdel", key, async () => {
      await this.client.hdel(this.key(key), ...fields);
    });
  }

  /** Earlier versions kept sets as a JSON array under the key: converted on first touch. */
  private async withSet<R>(key: string, fn: (k: string) => Promise<R>): Promise<R> {
    const k = this.key(key);
    try {
      return await fn(k);
    } catch (err) {
      if (!/WRONGTYPE/.test(String(err))) throw err;
      const legacy = decode<Array<string | number>>(await this.client.get(k)) ?? [];
      const m = this.client.multi().del(k);
      if (legacy.length) m.sadd(k, ...legacy.map(String));
      await m.exec();
      return fn(k);
    }
  }

  sadd(key: string, member: string): Promise<boolean> {
    return this.op("sadd", key, () =>
      this.withSet(key, async (k) => (await this.client.sadd(k, member)) > 0),
    );
  }

  srem(key: string, member: string): Promise<boolean> {
    return this.op("srem", key, () =>
      this.withSet(key, async (k) => (await this.client.srem(k, member)) > 0),
    );
  }

  smembers(key: string): Promise<string[]> {
    return this.op("smembers", key, () => this.withSet(key, (k) => this.client.smembers(k)));
  }

  scard(key: string): Promise<number> {
    return this.op("scard", key, () => this.withSet(key, (k) => this.client.scard(k)));
  }

  /**
   * A new connection to the same Redis for BullMQ, under this store's namespace (`prefix`). A
   * worker's connection must wait out outages (maxRetriesPerRequest null, no command timeout: it
   * blocks on purpose); a producer's fails fast so a tip that cannot be queued says so.
   */
  jobConnection(role: "worker" | "producer"): { connection: Redis; prefix: string } {
    const connection = this.client.duplicate({
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: role === "worker" ? null : 1,
      ...(role === "worker" ? { commandTimeout: undefined } : {}),
      retryStrategy: redisOptions().retryStrategy,
    });
    connection.on("error", () => undefined); // surfaced by the failing commands themselves
    return { connection, prefix: `${this.ns}:` };
  }

  ping(): Promise<void> {
    return this.op("ping", "-", async () => {
      await this.client.ping();
    });
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** ioredis options: fail fast and loud (no offline queue, command timeout), reconnect in the background. */
export function redisOptions() {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 5000,
    retryStrategy: (n: number) => Math.min(100 * n, 2000),
  };
}

/** Connect to REDIS_URL, retrying at start-up; the error names REDIS_URL (without password). */
export async function createRedisKv(options: KvOptions): Promise<RedisKv> {
  const url = options.redisUrl!;
  const location = describeLocation({ redisUrl: url, dataDir: options.dataDir });
  const attempts = options.connectAttempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    const client = new Redis(url, { ...redisOptions(), retryStrategy: () => null });
    let cause: unknown;
    // failures surface as thrown StorageErrors; the socket's own error says why (ECONNREFUSED…)
    client.on("error", (e) => {
      cause ??= e;
    });
    try {
      await client.connect();
      await client.ping();
      client.options.retryStrategy = redisOptions().retryStrategy;
      return new RedisKv(client, options.namespace ?? "coach", location, options.onError);
    } catch (err) {
      client.disconnect();
      const e = new StorageError("connect", "-", location, cause ?? err);
      if (attempt >= attempts) throw e;
      const delay = Math.min(1000 * attempt, 5000);
      options.onRetry?.(e, attempt, delay);
      await sleep(delay);
    }
  }
}
