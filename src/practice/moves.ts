import { toSimplified } from "../text/script.ts";
import type { Move, Templates } from "./schema.ts";

const QUESTION =
  /[?？吗呢]|多少|什么|几[个号天月期]|哪|怎么|是否|能不能|可不可以|有没有|方不方便|行不行|好不好|可以吗/;
const AMOUNT = /(\d+(\.\d+)?|[一二两三四五六七八九十百千万]+)\s*(块|元|千|万|百)|[¥￥]\s*\d/;
const DATE =
  /(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[号日]|[周礼拜]\s*[一二三四五六日天]|星期[一二三四五六日天]|明天|后天|月底|月初|月中|下周|下个?礼拜|这周|本周|今天|\d{1,2}\s*月/;

/** The form cues are matched against: Simplified, lower case, no spaces. */
export const cueForm = (text: string): string => toSimplified(text).toLowerCase().replace(/\s+/g, "");

export const mentionsAmount = (form: string): boolean => AMOUNT.test(form);
export const mentionsDate = (form: string): boolean => DATE.test(form);
export const asksSomething = (form: string): boolean => QUESTION.test(form);

function shows(move: Move, form: string): boolean {
  if (move.cues.length && !move.cues.some((c) => form.includes(cueForm(c)))) return false;
  if (move.question && !asksSomething(form)) return false;
  if (move.amount && !mentionsAmount(form)) return false;
  if (move.date && !mentionsDate(form)) return false;
  return true;
}

/** The moves a collector's reply shows, in the templates' priority order. */
export function detectMoves(reply: string, templates: Templates): string[] {
  const form = cueForm(reply);
  const found = Object.entries(templates.moves)
    .filter(([, m]) => shows(m, form))
    .map(([id]) => id);
  const rank = (id: string) => {
    const i = templates.priority.indexOf(id);
    return i < 0 ? templates.priority.length : i;
  };
  return found.sort((a, b) => rank(a) - rank(b));
}
