import AhoCorasickReference from "ahocorasick";
import { describe, expect, it } from "vitest";
import { PhraseMatcher } from "../src/compliance/phrase-matcher.ts";

const all = (m: PhraseMatcher, text: string) => {
  const out: string[] = [];
  m.forEach(text, (id, start, end) => out.push(`${id}@${start}-${end}`));
  return out.sort();
};

describe("PhraseMatcher", () => {
  it("finds every occurrence, overlapping and nested", () => {
    const m = new PhraseMatcher(["he", "she", "his", "hers", "老赖", "赖"]);
    expect(all(m, "ushers 老赖")).toEqual(["0@2-4", "1@1-4", "3@2-6", "4@7-9", "5@8-9"].sort());
  });

  it("agrees with a reference implementation on random text", () => {
    const alphabet = "不要坐牢老赖你家打电话晚上";
    const rand = (n: number, seed: { v: number }) =>
      Array.from({ length: n }, () => {
        seed.v = (seed.v * 1103515245 + 12345) % 2 ** 31;
        return alphabet[seed.v % alphabet.length];
      }).join("");
    const seed = { v: 42 };
    const phrases = [...new Set(Array.from({ length: 60 }, () => rand(1 + (seed.v % 4), seed)))];
    const text = rand(5000, seed);
    const ours = new Set<string>();
    new PhraseMatcher(phrases).forEach(text, (id, _s, end) => ours.add(`${phrases[id]}@${end - 1}`));
    const theirs = new Set<string>();
    for (const [end, keys] of new AhoCorasickReference(phrases).search(text))
      for (const k of keys) theirs.add(`${k}@${end}`);
    expect(ours).toEqual(theirs);
  });
});
