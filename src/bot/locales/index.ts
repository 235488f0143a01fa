import type { LocaleCode } from "../../storage/users.ts";
import { type Script, toSimplified, toTraditional } from "../../text/script.ts";
import { type Messages, zhCN } from "./zh-CN.ts";
import { zhTW } from "./zh-TW.ts";

export type { Messages };
export const LOCALES: Record<LocaleCode, Messages> = { "zh-CN": zhCN, "zh-TW": zhTW };

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
