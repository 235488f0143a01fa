/**
 * Tolerant JSON extraction for endpoints without structured output: the whole text, a ```json
 * fenced block, or the first balanced {...} object in the text (models like to add a sentence
 * around it). Returns undefined when nothing parses.
 */
export function extractJson(text: string): unknown {
  const attempts: string[] = [text.trim()];
  for (const m of text.matchAll(/```(?:json|JSON)?\s*\n?([\s\S]*?)```/g)) attempts.push(m[1]!.trim());
  const obj = firstBalancedObject(text);
  if (obj) attempts.push(obj);
  for (const a of attempts) {
    if (!a) continue;
    try {
      return JSON.parse(a);
    } catch {
      // next candidate
    }
  }
  return undefined;
}

function firstBalancedObject(text: string): string | undefined {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "{") depth++;
      else if (c === "}" && --depth === 0) {
        const candidate = text.slice(start, i + 1);
        try {
          JSON.parse(candidate);
          return candidate;
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
}
