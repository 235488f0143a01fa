/** Chinese numerals as people write them in chat and in documents. */

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Parse 1–3 Chinese numerals or digits: 十一 → 11, 二十 → 20, 五十 → 50, 几十 → 30, 上百 → 100. */
export function parseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === "几十" || s === "数十") return 30;
  if (s === "上百" || s === "几百" || s === "数百" || s === "一百" || s === "百") return 100;
  if (s === "十几" || s === "十多") return 15;
  if (s === "几") return 5;
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else if (ch in CN_DIGITS) current = CN_DIGITS[ch]!;
    else return null;
  }
  return total + current;
}
