import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStorage, StorageError } from "../../src/storage/index.ts";
import type { KeyvKv } from "../../src/storage/kv.ts";
import { FakeBotApi } from "../bot/fake-api.ts";
import { collector, createTestBot } from "../bot/helpers.ts";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "coach-faults-"));
  dirs.push(d);
  return d;
};
const api = new FakeBotApi();
beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** SQLite's own limits stand in for a full disk / read-only file (root ignores chmod here). */
const sqlite = (kv: unknown) =>
  (kv as KeyvKv).keyv.opts.store as unknown as { query(sql: string): Promise<Array<Record<string, number>>> };

describe("embedded store faults", () => {
  it("disk full: writes are refused loudly naming DATA_DIR, the user is asked to retry, no false confirmation", async () => {
    const dataDir = tmp();
    const storage = await createStorage({ dataDir });
    const t = await createTestBot({
      api,
      storage,
      store: { dataDir, namespace: "coach", open: () => Promise.resolve(storage) },
    });
    await storage.users.put({ ...collector(8100, "北区"), daily: { enabled: true, time: "09:00" } });
    const [{ page_count }] = (await sqlite(storage.kv).query("PRAGMA page_count")) as [
      { page_count: number },
    ];
    await sqlite(storage.kv).query(`PRAGMA max_page_count = ${page_count}`);
    // fill the last free pages, then the last free bytes in them
    let err: unknown;
    for (const size of [4000, 400, 40, 1]) {
      err = await (async () => {
        for (let i = 0; i < 5000; i++) await storage.kv.set(`filler:${size}:${i}`, "x".repeat(size));
      })().catch((e: unknown) => e);
    }
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).fault).toBe("disk full");
    expect((err as Error).message).toContain(`DATA_DIR=${dataDir}`);

    // an unanswered question must be logged for /gaps (a new row): refused, the user is told
    await t.say(8100, "今天午饭吃什么好呢");
    expect(api.lastText(8100)).toContain("稍后再试");
    expect(await storage.gaps.top(["北区"], 5)).toEqual([]);
    // a change that fits in place is kept, and what the bot confirms is what is stored
    await t.say(8100, "/daily off");
    const confirmed = api.lastText(8100).includes("已关闭");
    expect((await storage.users.get(8100))?.daily.enabled).toBe(!confirmed);
    await storage.close();
  });

  it("read-only store and unusable DATA_DIR are named", async () => {
    const dataDir = tmp();
    const storage = await createStorage({ dataDir });
    await sqlite(storage.kv).query("PRAGMA query_only = ON");
    const err = await storage.users.put(collector(8200, "北区")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).fault).toBe("read-only");
    expect((err as Error).message).toMatch(/storage set user:8200 failed \(read-only, DATA_DIR=/);
    await storage.close();

    const file = join(tmp(), "not-a-dir");
    writeFileSync(file, "x");
    const open = await createStorage({ dataDir: file }).catch((e: unknown) => e);
    expect(open).toBeInstanceOf(StorageError);
    expect((open as Error).message).toContain(`DATA_DIR=${file}`);
  });
});
