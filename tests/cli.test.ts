import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
function cli(args: string[], input?: string) {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  delete env.TELEGRAM_BOT_TOKEN;
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/index.ts", ...args], {
    cwd: root,
    input,
    encoding: "utf8",
    env,
  });
}

describe("command line contract (spec/cli.md)", () => {
  it("check --json answers one JSON line per input line, in order", () => {
    const r = cli(["check", "--json"], "你这个老赖\n您好，请问是张先生本人吗？\n");
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ text: "你这个老赖", verdict: "block" });
    expect(lines[0].violations[0]).toHaveProperty("category", "insult");
    expect(lines[1]).toMatchObject({ verdict: "pass", suggestion: null });
  });

  it("ask --json returns ranked hits with codes and a passing verdict", () => {
    const r = cli(["ask", "--json"], "客戶說他失業了沒錢還\n");
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.hits.length).toBeGreaterThanOrEqual(3);
    expect(out.hits[0].codes).toContain("no-income");
    expect(out.verdict).toBe("pass");
    expect(out.answer).toMatch(/說/); // answered in the asker's Traditional script
  });

  it("prints a readable check and a friendly error for an unknown verb", () => {
    expect(cli(["check", "再不还钱就让你坐牢"]).stdout).toMatch(
      /block[\s\S]*false-criminal-threat[\s\S]*建议改为/,
    );
    const bad = cli(["frobnicate"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown verb/);
  });
});
