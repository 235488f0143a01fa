import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DailyBudget } from "../../src/llm/budget.ts";
import { createKv } from "../../src/storage/kv.ts";

describe("per-user daily LLM budget", () => {
  it("allows N requests per user per day, then none until the next day (Asia/Shanghai)", async () => {
    let now = new Date("2026-03-02T15:00:00Z"); // 23:00 in Shanghai
    const budget = new DailyBudget(2, () => now);
    expect([await budget.take("a"), await budget.take("a"), await budget.take("a")]).toEqual([
      true,
      true,
      false,
    ]);
    expect(await budget.has("a")).toBe(false);
    expect(await budget.take("b")).toBe(true); // per user
    now = new Date("2026-03-02T16:00:00Z"); // 00:00 the next day in Shanghai
    expect(await budget.take("a")).toBe(true);
  });

  it("with the bot's store the counts survive a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "budget-"));
    const now = () => new Date("2026-03-02T02:00:00Z");
    const kv = await createKv({ dataDir });
    expect(await new DailyBudget(1, now, "Asia/Shanghai", kv).take("u")).toBe(true);
    await kv.close();
    const again = await createKv({ dataDir });
    try {
      expect(await new DailyBudget(1, now, "Asia/Shanghai", again).take("u")).toBe(false);
    } finally {
      await again.close();
    }
  });
});
