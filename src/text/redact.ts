/**
 * Remove debtor identifiers from text that goes to logs or to stored feedback: mainland ID card
 * numbers, bank card numbers, mobile and landline phone numbers. Longest patterns first.
 */
const RULES: Array<[RegExp, string]> = [
  // resident ID: 17 digits + check digit (or X), or the old 15-digit form
  [
    /(?<![\dA-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])/g,
    "[ID]",
  ],
  // bank card: 13–19 digits, optionally grouped by spaces or dashes
  [/(?<!\d)\d{4}(?:[ -]?\d{4}){2,3}[ -]?\d{1,4}(?!\d)/g, "[CARD]"],
  [/(?<!\d)\d{13,19}(?!\d)/g, "[CARD]"],
  [/(?<!\d)\d{15}(?!\d)/g, "[ID]"],
  // mobile, with or without +86 and separators
  [/(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g, "[PHONE]"],
  // landline with area code
  [/(?<!\d)0\d{2,3}[ -]?\d{7,8}(?!\d)/g, "[PHONE]"],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, label] of RULES) out = out.replace(re, label);
  return out;
}
