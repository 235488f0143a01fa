import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LOCALE_DIR, traditionalLocaleSource } from "../../scripts/gen-zh-tw.ts";

const read = (name: string) => readFileSync(join(LOCALE_DIR, name), "utf8");
const squeeze = (s: string) => s.replace(/\s+/g, "");

describe("locales", () => {
  it("zh-TW.ts is generated from zh-CN.ts (run `npm run locales` after editing zh-CN.ts)", () => {
    expect(squeeze(read("zh-TW.ts"))).toBe(squeeze(traditionalLocaleSource(read("zh-CN.ts"))));
  });
});
