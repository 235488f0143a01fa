/**
 * zh-TW messages are generated from zh-CN (opencc, character level): edit zh-CN.ts, then run
 * `npm run locales`. A test fails when zh-TW.ts is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { toTraditional } from "../src/text/script.ts";

export const LOCALE_DIR = join(import.meta.dirname, "..", "src", "bot", "locales");

export function traditionalLocaleSource(zhCnSource: string): string {
  return toTraditional(zhCnSource)
    .replace(
      'import { escapeHtml as h } from "../../text/html.ts";',
      'import { escapeHtml as h } from "../../text/html.ts";\nimport type { Messages } from "./zh-CN.ts";',
    )
    .replace(
      /\/\*\* Every text[^\n]*\*\//,
      "/** Every text the bot shows, Traditional Chinese (Taiwan). Generated from zh-CN.ts by `npm run locales`. */",
    )
    .replace("export const zhCN = {", "export const zhTW: Messages = {")
    .replace('locale: "zh-CN"', 'locale: "zh-TW"')
    .replace(/\nexport type Messages = typeof zhCN;\n/, "\n");
}

if (process.argv[1] === import.meta.filename) {
  const source = readFileSync(join(LOCALE_DIR, "zh-CN.ts"), "utf8");
  writeFileSync(join(LOCALE_DIR, "zh-TW.ts"), traditionalLocaleSource(source));
  console.log("wrote src/bot/locales/zh-TW.ts");
}
