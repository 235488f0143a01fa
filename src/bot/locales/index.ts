import type { LocaleCode } from "../../storage/users.ts";
import { type Script, toSimplified, toTraditional } from "../../text/script.ts";
import { type Messages, zhCN } from "./zh-CN.ts";
import { zhTW } from "./zh-TW.ts";

export type { Messages };
export const LOCALES: Record<LocaleCode, Messages> = { "zh-CN": zhCN, "zh-TW": zhTW };

/**
 * The bot's own fixed UI strings in both scripts (usage texts, buttons, notes, /help per role):
 * the compliance guard lets them through as they are. They are reviewed once, by a test that
 * lists every one the guard would object to (tests/bot/ui-strings.test.ts).
 */
export function fixedTexts(): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const m of Object.values(LOCALES)) {
    walk(m);
    for (const role of ["admin", "supervisor", "collector"] as const) out.add(m.help(role));
  }
  return out;
}

export const scriptOf = (locale: LocaleCode): Script => (locale === "zh-TW" ? "traditional" : "simplified");

/** Locale from Telegram's language_code: Traditional for zh-Hant / TW / HK / MO. */
export function localeFromLanguage(code: string | undefined): LocaleCode {
  return code && /^zh[-_](hant|tw|hk|mo)/i.test(code) ? "zh-TW" : "zh-CN";
}

/** The locale a text shows its writer prefers, or undefined when the text fits both scripts. */
export function localeFromText(text: string): LocaleCode | undefined {
  if (toSimplified(text) !== text) return "zh-TW";
  if (toTraditional(text) !== text) return "zh-CN";
  return undefined;
}
