import * as OpenCC from "opencc-js";

/** Traditional (Taiwan/HK/standard) → Simplified, character-level. */
export const toSimplified: (s: string) => string = OpenCC.Converter({ from: "tw", to: "cn" });
/** Simplified → Traditional (Taiwan standard characters, no phrase rewriting). */
export const toTraditional: (s: string) => string = OpenCC.Converter({ from: "cn", to: "tw" });

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
