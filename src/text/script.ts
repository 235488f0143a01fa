import * as OpenCC from "opencc-js";

/** Traditional (Taiwan/HK/standard) → Simplified, character-level. */
export const toSimplified: (s: string) => string = OpenCC.Converter({ from: "tw", to: "cn" });
/** Simplified → Traditional with opencc's phrase dictionaries (Taiwan standard characters, no vocabulary rewriting). */
const cnToTw: (s: string) => string = OpenCC.Converter({ from: "cn", to: "tw" });

/**
 * Where a phrase is missing from opencc's dictionaries it falls back to a character's first reading:
 * 签 → 籤 (lot) for 簽 (sign), 并 → 併 (merge) for 並 (and), 只 → 隻 (counter) for 只 (only),
 * 克 → 剋, 卡里 (a name) for 卡裡. Each fix keeps the words in which the other reading is right (標籤, 合併, 一隻).
 */
const FIXES: Array<[RegExp, string]> = [
  [/(?<![標抽書求牙竹])籤(?![詩筒])/gu, "簽"],
  [/(?<![合兼吞])(?<!(?:^|[^第])一)併(?![吞購入案發])/gu, "並"],
  [/卡里/gu, "卡裡"],
  [/隻(?=[會是能要有好管顧說])/gu, "只"],
  [/剋制/gu, "克制"],
];

export function toTraditional(s: string): string {
  let out = cnToTw(s);
  for (const [re, to] of FIXES) out = out.replace(re, to);
  return out;
}

export type Script = "simplified" | "traditional";

/** The script a text is written in: Traditional when it holds characters that only Traditional uses. */
export function detectScript(text: string): Script {
  const simp = toSimplified(text);
  if (simp === text) return "simplified";
  if (simp.length !== text.length) return "traditional";
  let diff = 0;
  for (let i = 0; i < text.length; i++) if (text[i] !== simp[i]) diff++;
  return diff > 0 ? "traditional" : "simplified";
}

/** Render text (authored in Simplified) in the given script. */
export function inScript(text: string, script: Script): string {
  return script === "traditional" ? toTraditional(text) : text;
}
