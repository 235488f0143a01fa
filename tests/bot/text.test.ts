import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeBotApi } from "./fake-api.ts";
import { ADMIN, collector, createTestBot, FakeClock } from "./helpers.ts";

const api = new FakeBotApi();
// Telegram would have refused these: a test fails on any
afterEach(() => expect(api.rejected).toEqual([]));
let t: Awaited<ReturnType<typeof createTestBot>>;
const clock = new FakeClock(new Date("2026-03-02T02:00:00Z")); // 10:00 Shanghai
const S = 91;
const C = 92;

beforeAll(async () => {
  await api.start();
  t = await createTestBot({ api, clock });
  await t.register(S, "supervisor", "西区");
  await t.register(C, "collector", "西区");
});
afterAll(async () => {
  await t.storage.close();
  await api.stop();
});
beforeEach(() => api.reset());

describe("commands", () => {
  it.each(["/CHECK", "/Check", "/cHeCk"])("%s works like /check", async (cmd) => {
    await t.say(C, `${cmd} 请您今天下午把款项还上`);
    expect(api.lastText(C)).toContain("合规");
    expect(api.lastText(C)).not.toContain("没有权限");
  });

  it("/Team@Bot_Username with capitals works too", async () => {
    await t.say(S, "/Team@Collector_Coach_Test_Bot");
    expect(api.lastText(S)).toContain("西区组");
  });

  it("the /tip usage text arrives whole, not masked", async () => {
    await t.say(ADMIN, "/tip");
    expect(api.lastText(ADMIN)).toBe("用法：/tip 提示内容（管理员可用 /tip all 内容 发给所有人）");
  });
});

describe("photo captions", () => {
  it("a caption is read as the question", async () => {
    await t.say(C, "", {
      text: undefined,
      photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }],
      caption: "客户说没钱怎么办",
    });
    expect(api.lastText(C)).toContain("<b>");
    expect(api.lastText(C)).not.toContain("文字");
  });

  it("a photo captioned /check is checked", async () => {
    await t.say(C, "", {
      text: undefined,
      photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }],
      caption: "/Check 再不还钱就让你坐牢",
      caption_entities: [{ type: "bot_command", offset: 0, length: 6 }],
    });
    expect(api.lastText(C)).toContain("不合规");
  });

  it("a photo without a caption gets the hint", async () => {
    await t.say(C, "", {
      text: undefined,
      photo: [{ file_id: "p", file_unique_id: "p", width: 1, height: 1 }],
    });
    expect(api.lastText(C)).toContain("文字");
  });
});

describe("/daily says when the first push comes", () => {
  it("today when the time is still ahead, tomorrow when it has passed", async () => {
    await t.say(C, "/daily 18:00");
    expect(api.lastText(C)).toContain("第一题今天 18:00 送到");
    await t.say(C, "/daily 08:30");
    expect(api.lastText(C)).toContain("第一题明天 08:30 送到");
    expect(await t.dailyTick()).toBe(0);
    await t.say(C, "/daily off");
  });
});

describe("tips in each reader's script", () => {
  it("a Traditional-script reader gets the tip in Traditional, the others in Simplified", async () => {
    await t.storage.users.put({ ...collector(93, "西区"), locale: "zh-TW" });
    await t.say(S, "/tip 今天重点跟进承诺还款的客户，记得核实还款日期。");
    for (const j of await t.storage.jobs.active()) await t.app.broadcaster.wait(j.id);
    const tw = api.lastText(93);
    expect(tw).toContain("今天重點跟進承諾還款的客戶，記得核實還款日期。");
    expect(tw).toContain("主管提示");
    expect(api.lastText(C)).toContain("今天重点跟进承诺还款的客户");
  });

  it("a tip confirmed after a warning reaches Traditional readers too (not blocked as a different text)", async () => {
    await t.say(S, "/tip 晚上九点半给客户打电话提醒还款");
    expect(api.lastText(S)).toContain("确定仍要发送吗");
    await t.press(S, "确定发送");
    for (const j of await t.storage.jobs.active()) await t.app.broadcaster.wait(j.id);
    expect(api.lastText(93)).toContain("晚上九點半給客戶打電話提醒還款");
    expect(api.lastText(C)).toContain("晚上九点半给客户打电话提醒还款");
    // the report follows the last delivery; under load it can take longer than a fixed nap
    await vi.waitFor(() => expect(api.lastText(S)).toMatch(/共 2 人，成功 2，失败 0/), { timeout: 5000 });
  });
});
