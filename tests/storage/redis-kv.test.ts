import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { StorageError } from "../../src/storage/errors.ts";
import { createRedisKv, type RedisKv, redisOptions } from "../../src/storage/redis-kv.ts";

/**
 * The Redis store's own promises, each one a thing two instances rely on: single-use claims, set
 * membership answers, deletes that say whether something was there, locks shared across
 * connections, data written by earlier versions, and loud, named failures.
 */
const url = process.env.REDIS_URL;
const open: RedisKv[] = [];
const namespaces: string[] = [];
async function store(namespace = `rkv-${randomUUID()}`): Promise<RedisKv> {
  const kv = await createRedisKv({ dataDir: "unused", redisUrl: url, namespace });
  open.push(kv);
  namespaces.push(namespace);
  return kv;
}
afterEach(async () => {
  for (const kv of open.splice(0)) await kv.close();
});
afterAll(async () => {
  if (!url) return;
  const r = new Redis(url);
  for (const ns of namespaces) {
    const keys = await r.keys(`${ns}:*`);
    if (keys.length) await r.del(...keys);
  }
  await r.quit();
});

describe.skipIf(!url)("Redis store", () => {
  it("claims a key for exactly one caller, and again once it has expired", async () => {
    const a = await store();
    expect(await a.claim("invite:X", 200)).toBe(true);
    expect(await a.claim("invite:X", 200)).toBe(false);
    expect(await a.firstSeen("update:1", 200)).toBe(true);
    expect(await a.firstSeen("update:1", 200)).toBe(false);
    await new Promise((r) => setTimeout(r, 260));
    expect(await a.claim("invite:X", 200)).toBe(true);
  });

  it("claims race between two connections: one winner", async () => {
    const ns = `rkv-${randomUUID()}`;
    const [a, b] = [await store(ns), await store(ns)];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim("daily:7", 10_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("says whether a delete, an add or a remove changed anything", async () => {
    const kv = await store();
    await kv.set("k", 1);
    expect(await kv.delete("k")).toBe(true);
    expect(await kv.delete("k")).toBe(false);
    expect(await kv.sadd("team", "7")).toBe(true);
    expect(await kv.sadd("team", "7")).toBe(false);
    expect(await kv.scard("team")).toBe(1);
    expect(await kv.srem("team", "7")).toBe(true);
    expect(await kv.srem("team", "7")).toBe(false);
    expect(await kv.smembers("team")).toEqual([]);
  });

  it("counts hits in a window that opens at the first hit and starts again after it", async () => {
    const kv = await store();
    const t0 = 1_000_000;
    expect(await kv.hit("flood:7", 60_000, t0)).toEqual({ count: 1, start: t0 });
    expect(await kv.hit("flood:7", 60_000, t0 + 59_999)).toEqual({ count: 2, start: t0 });
    expect(await kv.hit("flood:7", 60_000, t0 + 60_000)).toEqual({ count: 1, start: t0 + 60_000 });
    // a clock that went back opens a new window rather than counting into a future one
    expect(await kv.hit("flood:7", 60_000, t0 + 10)).toEqual({ count: 1, start: t0 + 10 });
  });

  it("removes hash fields it is given and leaves the rest", async () => {
    const kv = await store();
    await kv.hset("votes", "a", "1");
    await kv.hset("votes", "b", "2");
    await kv.hdel("votes", []);
    expect(await kv.hgetall("votes")).toEqual({ a: "1", b: "2" });
    await kv.hdel("votes", ["a"]);
    expect(await kv.hgetall("votes")).toEqual({ b: "2" });
    expect(await kv.hincr("votes", "b", 3)).toBe(5);
  });

  it("reads what earlier versions wrote: keyv envelopes with an expiry, sets kept as JSON arrays", async () => {
    const kv = await store();
    await kv.client.set(kv.key("old"), JSON.stringify({ value: "gone", expires: Date.now() - 1 }));
    await kv.client.set(kv.key("fresh"), JSON.stringify({ value: "here", expires: Date.now() + 60_000 }));
    expect(await kv.get("old")).toBeUndefined();
    expect(await kv.get("fresh")).toBe("here");
    await kv.client.set(kv.key("users"), JSON.stringify({ value: [1, 2] }));
    // an old list stays whole when first touched as a set
    expect(await kv.sadd("users", "3")).toBe(true);
    expect((await kv.smembers("users")).sort()).toEqual(["1", "2", "3"]);
  });

  it("a lock is held across connections: the second holder starts after the first ends", async () => {
    const ns = `rkv-${randomUUID()}`;
    const [a, b] = [await store(ns), await store(ns)];
    const log: string[] = [];
    const hold = (kv: RedisKv, who: string) =>
      kv.locked("chat:1", async () => {
        log.push(`${who} in`);
        await new Promise((r) => setTimeout(r, 60));
        log.push(`${who} out`);
      });
    await Promise.all([hold(a, "a"), hold(b, "b")]);
    const [first, second] = log[0]!.startsWith("a") ? ["a", "b"] : ["b", "a"];
    expect(log).toEqual([`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    // released: a third taker gets it at once
    const t0 = Date.now();
    await a.locked("chat:1", async () => undefined);
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("read-modify-writes from two connections at once are all kept", async () => {
    const ns = `rkv-${randomUUID()}`;
    const [a, b] = [await store(ns), await store(ns)];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).update<number>("n", (n) => (n ?? 0) + 1)),
    );
    expect(await a.get("n")).toBe(40);
    // returning undefined deletes
    await a.update("n", () => undefined);
    expect(await b.get("n")).toBeUndefined();
    expect(await a.client.exists(a.key("n"))).toBe(0);
  });

  it("gives the delivery queue its own connections under the store's prefix", async () => {
    const kv = await store("rkv-prefix");
    const worker = kv.jobConnection("worker");
    const producer = kv.jobConnection("producer");
    expect(worker.prefix).toBe("rkv-prefix:");
    // a worker waits out an outage; a producer fails fast so the sender hears about it
    expect(worker.connection.options.maxRetriesPerRequest).toBeNull();
    expect(producer.connection.options.maxRetriesPerRequest).toBe(1);
    // a worker blocks on purpose (BZPOPMIN): no command timeout; a producer keeps the store's 5 s
    expect(worker.connection.options.commandTimeout).toBeUndefined();
    expect(producer.connection.options.commandTimeout).toBe(5000);
    // both reconnect in the background like the store itself, never giving up for good
    expect(worker.connection.options.retryStrategy?.(3)).toBe(300);
    expect(producer.connection.options.retryStrategy?.(50)).toBe(2000);
    // a dropped connection is reported by the failing command, not as an unhandled 'error' event
    expect(() => producer.connection.emit("error", new Error("ECONNRESET"))).not.toThrow();
    expect(await producer.connection.ping()).toBe("PONG");
    worker.connection.disconnect();
    producer.connection.disconnect();
  });

  it("every operation fails loudly with its name and key when Redis is gone", async () => {
    const kv = await store();
    kv.client.disconnect();
    const failures: Array<[string, () => Promise<unknown>]> = [
      ["get", () => kv.get("a")],
      ["getMany", () => kv.getMany(["a", "b"])],
      ["set", () => kv.set("a", 1)],
      ["set", () => kv.set("a", 1, 1000)],
      ["setMany", () => kv.setMany([{ key: "a", value: 1 }])],
      ["delete", () => kv.delete("a")],
      ["update", () => kv.update("a", () => 1)],
      ["take", () => kv.take("a")],
      ["claim", () => kv.claim("a", 1000)],
      ["hit", () => kv.hit("a", 1000, Date.now())],
      ["hincr", () => kv.hincr("a", "f")],
      ["hset", () => kv.hset("a", "f", "1")],
      ["hgetall", () => kv.hgetall("a")],
      ["hdel", () => kv.hdel("a", ["f"])],
      ["sadd", () => kv.sadd("a", "1")],
      ["srem", () => kv.srem("a", "1")],
      ["smembers", () => kv.smembers("a")],
      ["scard", () => kv.scard("a")],
      ["lock", () => kv.locked("a", async () => 1)],
      ["ping", () => kv.ping()],
    ];
    for (const [op, call] of failures) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, op).toBeInstanceOf(StorageError);
      expect((err as StorageError).op, op).toBe(op);
      expect((err as StorageError).key, op).toBe(op === "ping" ? "-" : "a");
    }
  });
  it("values written with a lifetime leave Redis when it ends, alone, in a batch and in a read-modify-write", async () => {
    const kv = await store();
    const ttl = async (k: string) => kv.client.pttl(kv.key(k));
    await kv.set("one", 1, 30_000);
    await kv.set("forever", 1);
    await kv.setMany([
      { key: "b1", value: 1, ttl: 30_000 },
      { key: "b2", value: 2 },
    ]);
    await kv.update("u", () => 1, 30_000);
    expect(await kv.claim("c", 30_000)).toBe(true);
    for (const k of ["one", "b1", "u", "c"]) {
      expect(await ttl(k), k).toBeGreaterThan(25_000);
      expect(await ttl(k), k).toBeLessThanOrEqual(30_000);
    }
    // -1: kept until deleted
    expect(await ttl("forever")).toBe(-1);
    expect(await ttl("b2")).toBe(-1);
    expect(await kv.getMany(["one", "b1", "b2", "none"])).toEqual([1, 1, 2, undefined]);
  });

  it("a batch that Redis refuses or aborts is reported as failed, never taken as written", async () => {
    const errors: StorageError[] = [];
    const kv = await createRedisKv({
      dataDir: "unused",
      redisUrl: url,
      namespace: `rkv-${randomUUID()}`,
      onError: (e) => errors.push(e),
    });
    open.push(kv);
    const realMulti = kv.client.multi.bind(kv.client);
    // what EXEC answers when one command is refused (maxmemory), or when the transaction is aborted
    const answers: Array<Array<[Error | null, unknown]> | null> = [
      [
        [null, "OK"],
        [new Error("OOM command not allowed when used memory > 'maxmemory'"), null],
      ],
      null,
    ];
    for (const answer of answers) {
      const spy = vi.spyOn(kv.client, "multi").mockImplementation(() => {
        const m = realMulti();
        m.exec = async () => answer;
        return m;
      });
      const err = await kv
        .setMany([
          { key: "a", value: 1 },
          { key: "b", value: 2 },
        ])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      spy.mockRestore();
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).op).toBe("setMany");
      expect((err as Error).message).toMatch(answer ? /OOM command not allowed/ : /transaction aborted/);
    }
    expect(errors.map((e) => e.op)).toEqual(["setMany", "setMany"]);
    // a batch Redis accepts still goes through on the same store
    await kv.setMany([{ key: "c", value: 3 }]);
    expect(await kv.get("c")).toBe(3);
  });

  it("reconnects back off by 100 ms an attempt, at most 2 s, so an outage is not hammered", () => {
    const delays = [1, 2, 10, 20, 21, 100].map((n) => redisOptions().retryStrategy(n));
    expect(delays).toEqual([100, 200, 1000, 2000, 2000, 2000]);
  });

  it("keys keep the layout earlier versions wrote (keyv's), under the namespace 「coach」 unless told", async () => {
    const kv = await createRedisKv({ dataDir: "unused", redisUrl: url });
    open.push(kv);
    expect(kv.key("user:7")).toBe("coach::coach:user:7");
    expect((await store("team-a")).key("user:7")).toBe("team-a::team-a:user:7");
  });

  it("closing ends its connection", async () => {
    const kv = await store();
    await kv.close();
    await vi.waitFor(() => expect(kv.client.status).toBe("end"));
  });

  it("taking a value hands it to one caller only", async () => {
    const ns = `rkv-${randomUUID()}`;
    const [a, b] = [await store(ns), await store(ns)];
    await a.set("login-code", { user: 7 });
    const got = await Promise.all([a.take("login-code"), b.take("login-code")]);
    expect(got.filter(Boolean)).toEqual([{ user: 7 }]);
    expect(await a.get("login-code")).toBeUndefined();
  });

  it("waiting more than 20 s for a lock another instance holds fails with a named error, not a hang", async () => {
    const kv = await store();
    await kv.client.set(`${kv.key("chat:5")}:lock`, "another-instance", "PX", 60_000);
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      let ran = false;
      let settled = false;
      const failure = kv
        .locked("chat:5", async () => {
          ran = true;
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => {
          settled = true;
        });
      const tries = (ms: number) => new Promise((r) => setTimeout(r, ms));
      await tries(100);
      vi.setSystemTime(Date.now() + 19_000);
      await tries(100);
      expect(settled).toBe(false); // still waiting at 19 s
      vi.setSystemTime(Date.now() + 2_000);
      const err = (await failure) as StorageError;
      expect(err).toBeInstanceOf(StorageError);
      expect([err.op, err.key, err.fault]).toEqual(["lock", "chat:5", "timeout"]);
      expect(ran).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a read-modify-write that loses to another writer every time gives up with a named error", async () => {
    const kv = await store();
    let calls = 0;
    const err = await kv
      .update<number>("hot", (n) => {
        calls++;
        // another writer gets in between our read and our write, every time
        void kv.client.set(kv.key("hot"), JSON.stringify({ value: -calls }));
        return (n ?? 0) + 1;
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(StorageError);
    expect([(err as StorageError).op, (err as StorageError).key]).toEqual(["update", "hot"]);
    expect((err as Error).message).toContain("too much contention");
    expect(calls).toBe(202);
  }, 30_000);

  it("a holder whose lock lapsed does not release the next holder's lock", async () => {
    const kv = await store();
    const lockKey = `${kv.key("chat:9")}:lock`;
    await kv.locked("chat:9", async () => {
      // our lock lapsed while we worked and another instance took it
      await kv.client.set(lockKey, "someone-else", "PX", 10_000);
    });
    expect(await kv.client.get(lockKey)).toBe("someone-else");
  });

  it("sets kept as JSON lists by earlier versions are counted, listed and shrunk like sets", async () => {
    const kv = await store();
    await kv.client.set(kv.key("team"), JSON.stringify({ value: [1, 2, 3] }));
    expect(await kv.scard("team")).toBe(3);
    await kv.client.set(kv.key("team2"), JSON.stringify({ value: [4, 5] }));
    expect(await kv.srem("team2", "4")).toBe(true);
    expect(await kv.smembers("team2")).toEqual(["5"]);
    await kv.client.set(kv.key("empty"), JSON.stringify({ value: [] }));
    expect(await kv.smembers("empty")).toEqual([]);
    expect(await kv.client.exists(kv.key("empty"))).toBe(0);
  });

  it("a Redis that cannot be reached at start is tried again, and the error names it without the password", async () => {
    const retries: Array<[number, number]> = [];
    const err = await createRedisKv({
      dataDir: "unused",
      redisUrl: "redis://user:s3cret@127.0.0.1:1/4",
      connectAttempts: 3,
      onRetry: (_e, attempt, delay) => retries.push([attempt, delay]),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    // one second more after each failed attempt (capped at five)
    expect(retries).toEqual([
      [1, 1000],
      [2, 2000],
    ]);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).op).toBe("connect");
    expect(String((err as Error).message)).toContain("REDIS_URL=redis://127.0.0.1:1/4");
    expect(String((err as Error).message)).not.toContain("s3cret");
  });
});
