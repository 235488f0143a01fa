import { describe, expect, it } from "vitest";
import { fixedTexts } from "../../src/bot/locales/index.ts";
import { testCoach } from "./helpers.ts";

/**
 * The bot's own fixed UI strings go out without the runtime guard. They are reviewed here, once:
 * every fixed string the guard objects to must be listed below with why it is fine. A new or
 * edited string the guard objects to fails this test until someone reviews it.
 */
const REVIEWED: Record<string, string> = {
  "用法：/tip 提示内容（管理员可用 /tip all 内容 发给所有人）":
    "usage text: 'send to everyone' means the team's own members, not a debtor's contacts",
  "用法：/tip 提示內容（管理員可用 /tip all 內容 發給所有人）": "the same, Traditional",
};

describe("fixed UI strings", () => {
  it("every one the guard objects to has been reviewed", () => {
    const flagged = [...fixedTexts()].filter((s) => !testCoach().guard(s).allowed);
    expect(flagged.filter((s) => !(s in REVIEWED))).toEqual([]);
  });

  it("covers usage texts, buttons and /help for every role, in both scripts", () => {
    const all = fixedTexts();
    expect(all.has("👎 没用")).toBe(true);
    expect(all.has("👎 沒用")).toBe(true);
    expect([...all].some((s) => s.startsWith("<b>催收教练 · 使用说明</b>") && s.includes("/tip all"))).toBe(
      true,
    );
  });
});
