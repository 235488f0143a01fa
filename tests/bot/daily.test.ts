import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { createTestBot, FakeClock } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
beforeAll(async () => {
  await api.start();
});
afterAll(() => api.stop());

describe("daily push", () => {
  it("fires once at the due time under a fake clock, and a restart does not repeat it", async () => {
    const clock = new FakeClock(new Date("2026-03-02T00:00:00Z")); // 08:00 Shanghai
    const t = await createTestBot({ api, clock });
    await t.register(51, "collector", "北区");
    await t.say(51, "/daily 08:30");
    expect(api.lastText(51)).toContain("08:30");
    const polls = () => api.sent("sendPoll", 51).length;

    expect(await t.dailyTick()).toBe(0); // 08:00: not yet
    clock.set("2026-03-02T00:30:00Z"); // 08:30
    expect(await t.dailyTick()).toBe(1);
    expect(polls()).toBe(1);
    clock.set("2026-03-02T00:31:00Z");
    expect(await t.dailyTick()).toBe(0);
    expect(polls()).toBe(1);

    // simulated restart: a new bot over the same store, later the same day
    await t.app.broadcaster.stop();
    await t.storage.close();
    clock.set("2026-03-02T03:00:00Z");
    const storage = await t.store.open();
    const t2 = await createTestBot({ api, clock, storage });
    expect(await t2.dailyTick()).toBe(0);
    expect(polls()).toBe(1);

    // down all of the next morning: the missed push goes out once at start-up, not again
    clock.set("2026-03-03T06:00:00Z");
    expect(await t2.dailyTick()).toBe(1);
    expect(await t2.dailyTick()).toBe(0);
    expect(polls()).toBe(2);

    await t2.say(51, "/daily off");
    clock.set("2026-03-04T06:00:00Z");
    expect(await t2.dailyTick()).toBe(0);
    await storage.close();
  });

  it("subscribing after today's time starts tomorrow", async () => {
    const clock = new FakeClock(new Date("2026-03-02T04:00:00Z")); // 12:00 Shanghai
    const t = await createTestBot({ api, clock });
    await t.register(52, "collector", "北区");
    await t.say(52, "/daily on");
    expect(await t.dailyTick()).toBe(0);
    clock.set("2026-03-03T01:00:00Z"); // 09:00 next day
    expect(await t.dailyTick()).toBe(1);
    await t.storage.close();
  });
});
