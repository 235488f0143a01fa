/**
 * Built-in detectors for violations that are about numbers, not words: contact at night, and call
 * counts above the daily limits. Each works on compact normalised text with small, linear regexes.
 */

import { parseNumber } from "../text/numerals.ts";
import type { ScopeReader } from "./scopes.ts";

export interface ContactHours {
  /** planned contact in [blockFrom, 24) ∪ [0, blockUntil) blocks */
  blockFrom: number;
  blockUntil: number;
  /** planned contact in [warnFrom, blockFrom) warns */
  warnFrom: number;
}
export interface CallLimits {
  /** connected reminder calls a day per debtor */
  connected: number;
  /** attempts a day on an unanswered number */
  attempts: number;
}
export interface Finding {
  start: number;
  end: number;
  severity: "warn" | "block";
}

/** How far (in compact characters) from a time or count its contact act may stand. */
const NEAR = 30;

const NUM_TEXT = "\\d{1,2}|[零〇一二两三四五六七八九十]{1,3}";
const NUM = `(${NUM_TEXT})`;
const NIGHT_WORDS = ["今天晚上", "明天晚上", "今晚", "明晚", "晚上", "夜里", "夜间", "夜晚", "傍晚", "晚间"];
const MORNING_WORDS = ["明天早上", "明早", "早上", "早晨", "清晨", "一早", "大早", "上午", "早"];
const SMALL_HOURS = ["凌晨", "半夜", "深夜", "午夜", "大半夜", "三更半夜"];
const AFTERNOON = ["下午", "中午"];
const PERIOD = [...NIGHT_WORDS, ...MORNING_WORDS, ...SMALL_HOURS, ...AFTERNOON].sort(
  (a, b) => b.length - a.length,
);
const TIME_RE = new RegExp(
  `(?<period>${PERIOD.join("|")})?(?:[大约概]{1,2})?(?<hour>${NUM_TEXT})(?:点钟|点|时|:(?<colon>\\d{2}))(?<fraction>半|一刻|(?:${NUM_TEXT})分?)?(?<relation>以后|之后|后|以前|之前|前)?`,
  "g",
);
const BARE_NIGHT_RE = new RegExp(`(${SMALL_HOURS.join("|")})`, "g");
const CONTACT_RE =
  /打(?!算|折|印|开|工|车|球|卡|造|包|架|扮|听|理|发)|拨|联系|致电|短信|信息|消息|微信|上门|外访|外呼|催|电话|call|回访|找他|找你|发送/;

function hourOf(period: string | undefined, h: number): number {
  if (period && NIGHT_WORDS.includes(period)) {
    // 晚上零点 / 晚上一点 / 夜里两点 are midnight and the small hours; 傍晚 is never after midnight
    if (h <= 4 && period !== "傍晚") return h;
    return h < 12 ? h + 12 : h === 12 ? 0 : h;
  }
  if (period && AFTERNOON.includes(period)) return h < 12 ? h + 12 : h;
  if (period && SMALL_HOURS.includes(period)) {
    // 凌晨三点 = 03:00, 半夜十二点 = 00:00, 深夜十一点 and 深夜23点 = 23:00 (半夜24点: 24 wraps to 0 below)
    if (h === 12) return 0;
    return h >= 9 && h < 12 ? h + 12 : h;
  }
  if (period) return h; // morning words
  if (h >= 1 && h <= 6) return h + 12; // "五点前" in office talk means 17:00
  return h;
}

/** Planned contact at night (blocks) or in the late-evening band (warns), with a contact act in scope. */
export function findNightContact(text: string, scopes: ScopeReader, hours: ContactHours): Finding[] {
  const out: Finding[] = [];
  const classify = (hour: number, minute: number): Finding["severity"] | null => {
    const t = hour + minute / 60;
    if (t >= hours.blockFrom || t < hours.blockUntil) return "block";
    if (t >= hours.warnFrom) return "warn";
    return null;
  };
  const consider = (start: number, end: number, severity: Finding["severity"] | null) => {
    if (!severity) return;
    const [scopeStart, scopeEnd] = scopes.of(start, "sentence");
    // look for the contact act near the time only, so long unpunctuated input stays linear
    // the contact act after the time ("今晚十一点再打给他"), else the one before it ("打给他，今晚十一点")
    const after = CONTACT_RE.exec(text.slice(end, Math.min(scopeEnd, end + NEAR)));
    const beforeFrom = Math.max(scopeStart, start - NEAR);
    const before = after ? null : CONTACT_RE.exec(text.slice(beforeFrom, start));
    if (!after && !before) return;
    // the finding spans time and act, so a prohibition between them ("十点以后不要再拨打") is seen
    if (after) out.push({ start, end: end + after.index + after[0].length, severity });
    else out.push({ start: beforeFrom + before!.index, end, severity });
  };
  for (const m of text.matchAll(TIME_RE)) {
    const whole = m[0];
    const { period, hour: hourText, colon: colonMinutes, fraction, relation } = m.groups!;
    const h = parseNumber(hourText!);
    if (h === null || h > 24) continue;
    let minute = colonMinutes ? Number(colonMinutes) : 0;
    if (fraction === "半") minute = 30;
    else if (fraction === "一刻") minute = 15;
    else if (fraction) minute = parseNumber(fraction.replace("分", "")) ?? 0;
    let hour = hourOf(period, h) % 24;
    if (relation && /前/.test(relation)) {
      // "早上八点前" = before 08:00
      minute -= 1;
      if (minute < 0) {
        minute += 60;
        hour = (hour + 23) % 24;
      }
    }
    consider(m.index, m.index + whole.length, classify(hour, minute));
  }
  for (const m of text.matchAll(BARE_NIGHT_RE)) {
    // 凌晨 / 半夜 with no clock time
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 3);
    if (/^[\d零〇一二两三四五六七八九十]/.test(after)) continue;
    consider(m.index, m.index + m[0].length, "block");
  }
  return out;
}

/** 「十个客户」「五个人」 count people called (once each), not calls to one debtor */
const NOT_PEOPLE = "(?!客户|人|户|借款|债务|案|号码|联系人|家)";
const COUNT_RE = new RegExp(
  `(一天|每天|每日|天天|一日|当天|今天|一小时|每小时|一个小时|一上午|一下午|一晚上|一晚)[^|#]{0,8}?${NUM}(个|次|通|遍|回|条|封)${NOT_PEOPLE}`,
  "g",
);
/** "拨满三十次", "打了十个": a count on the call itself, read as a day's count */
const ACT_COUNT_RE = new RegExp(`(?:打|拨|呼)(?:满|够|了|上)?${NUM}(个|次|通|遍|回)${NOT_PEOPLE}`, "g");
const COUNT_CONTACT_RE = /打|拨|电话|call|呼|短信|信息|消息/;

/** Call counts a day (or an hour) above the limits: more than `attempts` blocks, more than `connected` warns. */
export function findCallCounts(text: string, scopes: ScopeReader, limits: CallLimits): Finding[] {
  const out: Finding[] = [];
  const counts = [
    ...[...text.matchAll(COUNT_RE)].map((m) => ({ m, period: m[1]!, number: m[2]! })),
    ...[...text.matchAll(ACT_COUNT_RE)].map((m) => ({ m, period: "", number: m[1]! })),
  ];
  for (const { m, period, number } of counts) {
    if (out.some((f) => m.index < f.end && m.index + m[0].length > f.start)) continue;
    const n = parseNumber(number);
    if (n === null) continue;
    const perHour = /小时/.test(period);
    const daily = perHour ? n * 8 : n;
    const [scopeStart, scopeEnd] = scopes.of(m.index, "sentence");
    const s = Math.max(scopeStart, m.index - NEAR);
    const e = Math.min(scopeEnd, m.index + m[0].length + NEAR);
    if (!COUNT_CONTACT_RE.test(text.slice(s, e))) continue;
    // "一天最多拨六次" states a cap, not a plan: only more than the attempt limit is wrong then. The cap
    // must be said of this count, in its own clause: 「按规定最多打三次，今天打了四次」 reports four calls
    const capped = /最多|不超过|上限|以内|至多/.test(text.slice(...scopes.of(m.index, "clause")));
    const severity = daily > limits.attempts ? "block" : daily > limits.connected && !capped ? "warn" : null;
    if (severity) out.push({ start: m.index, end: m.index + m[0].length, severity });
  }
  return out;
}
