import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runValidate } from "../../src/cli/validate.ts";
import { loadConfig } from "../../src/config.ts";
import { CoachError } from "../../src/errors.ts";
import { loadPrompts, parsePrompt, renderPrompt } from "../../src/llm/prompts.ts";

const file = (front: string, body = "# system\n说明 {{a}}\n\n# user\n<data>{{b}}</data>\n") =>
  `---\n${front}\n---\n${body}`;
const problems = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CoachError);
    return (err as CoachError).details.join("\n");
  }
  throw new Error("no error");
};

describe("prompts/", () => {
  it("the shipped prompts load, each with an id, a version and its variables", () => {
    const p = loadPrompts();
    expect(Object.keys(p).sort()).toEqual(["answer", "judge", "rewrite", "tag-passage"]);
    expect(p.answer).toMatchObject({
      id: "answer",
      version: "1",
      variables: ["question", "sources", "script"],
    });
    expect(p.judge.system).toContain("{{categories}}");
  });

  it("names the file and the field of every mistake", () => {
    expect(problems(() => parsePrompt("x.md", "no front matter"))).toContain("x.md: front matter");
    expect(problems(() => parsePrompt("x.md", file("id: x\nvariables: [a, b]")))).toMatch(
      /x\.md: version: .+; description: /,
    );
    expect(
      problems(() => parsePrompt("x.md", file("id: x\nversion: 1\ndescription: d\nvariables: [a]"))),
    ).toContain("x.md: {{b}} is used but not listed in variables");
    expect(
      problems(() => parsePrompt("x.md", file("id: x\nversion: 1\ndescription: d\nvariables: [a, b, c]"))),
    ).toContain('variable "c" is listed but never used');
    expect(
      problems(() =>
        parsePrompt("x.md", file("id: x\nversion: 1\ndescription: d\nvariables: [a]", "# system\n{{a}}\n")),
      ),
    ).toContain("`# user` section is missing");
  });

  it("a folder with a broken prompt fails at load, naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "prompts-"));
    writeFileSync(join(dir, "answer.md"), file("id: answer\nversion: 1\ndescription: d\nvariables: [a]"));
    expect(problems(() => loadPrompts(dir))).toContain("answer.md: {{b}} is used");
  });

  it("renders variables once: a value holding {{…}} is not expanded again", () => {
    const p = parsePrompt("x.md", file("id: x\nversion: 2\ndescription: d\nvariables: [a, b]"));
    const r = renderPrompt(p, { a: "{{b}}", b: "数据" });
    expect(r).toMatchObject({ id: "x", version: "2" });
    expect(r.messages[0]!.content).toBe("说明 {{b}}");
    expect(r.messages[1]!.content).toBe("<data>数据</data>");
    expect(() => renderPrompt(p, { a: "1" })).toThrow(/"b" not given/);
  });
});

describe("cli validate", () => {
  it("validates the prompts with the rest and counts them", () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s));
    try {
      expect(runValidate(loadConfig({}))).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(lines.join("\n")).toContain("prompts: 4");
  });
});
