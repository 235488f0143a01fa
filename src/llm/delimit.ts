/**
 * User text and passages reach the model only inside <data> blocks. A text cannot close the block
 * early or open a new one: angle brackets of data tags inside it are replaced by full-width ones.
 */
export function asData(text: string): string {
  return text.replace(/<(\/?)(\s*data\b)/gi, "＜$1$2");
}

/** Numbered sources, each in its own data block: `[n] title` then the text. */
export function numberedSources(sources: Array<{ title: string; text: string }>): string {
  return sources
    .map((s, i) => `[${i + 1}] ${asData(s.title)}\n<data name="source-${i + 1}">\n${asData(s.text)}\n</data>`)
    .join("\n\n");
}
