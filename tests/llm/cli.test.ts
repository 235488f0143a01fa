import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completion } from "./helpers.ts";

// The CLI runs in a child process, out of nock's reach: a local fake OpenAI-compatible endpoint stands in.
const root = join(import.meta.dirname, "..", "..");
const requests: Array<{ url: string; body: { messages: Array<{ role: string; content: string }> } }> = [];
let server: Server;
let baseURL = "";

function reply(system: string): object {
  if (system.includes("合规审核员")) {
    return { violations: [] };
  }
  if (system.includes("培训师")) return { rewrite: "请您尽快处理这笔欠款，我们可以商量还款安排。" };
  return { answer: "先共情，再核实收入 [1]。", covered: true };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => {
      data += c.toString("utf8");
    });
    req.on("end", () => {
      const body = JSON.parse(data);
      requests.push({ url: req.url ?? "", body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(completion(reply(body.messages[0].content))));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function cli(args: string[], input: string, env: Record<string, string>) {
  const clean = { ...process.env };
  for (const k of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "TELEGRAM_BOT_TOKEN", "OPENAI_EMBEDDING_MODEL"])
    delete clean[k];
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", "src/cli/index.ts", ...args], {
      cwd: root,
      env: { ...clean, ...env },
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    p.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    p.on("close", (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(input);
  });
}
const lines = (s: string) =>
  s
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("cli in LLM mode (OPENAI_BASE_URL set)", { timeout: 90_000 }, () => {
  it("ask --json: grounded answer, spec fields kept, prompt recorded, token usage logged", async () => {
    const r = await cli(["ask", "--json"], "客户张伟说没钱怎么办\n", {
      OPENAI_BASE_URL: baseURL,
      LOG_LEVEL: "info",
    });
    expect(r.status).toBe(0);
    const [out] = lines(r.stdout);
    expect(out.answer).toContain("先共情，再核实收入 [1]");
    expect(out.verdict).toBe("pass");
    expect(out.hits[0].codes).toContain("no-income");
    expect(out.llm).toMatchObject({ used: true, prompt: { id: "answer", version: "1" } });
    const usage = r.stderr.split("\n").find((l) => l.includes('"llm call"'));
    expect(JSON.parse(usage!)).toMatchObject({ prompt: "answer", totalTokens: 120 });
    expect(JSON.stringify(requests.at(-1)!.body)).not.toContain("张伟");
  });

  it("check --json: rules' verdict kept, the judge's opinion recorded", async () => {
    const r = await cli(["check", "--json"], "再不还钱就让你坐牢\n", {
      OPENAI_BASE_URL: baseURL,
      LOG_LEVEL: "silent",
    });
    expect(r.status).toBe(0);
    const [out] = lines(r.stdout);
    expect(out).toMatchObject({ verdict: "block", llm: { used: true, prompt: { id: "judge" } } });
    expect(out.violations[0].category).toBe("false-criminal-threat");
    expect(out.suggestion).toBe("请您尽快处理这笔欠款，我们可以商量还款安排。");
  });

  it("with neither OPENAI_BASE_URL nor OPENAI_API_KEY nothing is sent and the output is the offline one", async () => {
    const before = requests.length;
    const r = await cli(["ask", "--json"], "客户说没钱怎么办\n", { LOG_LEVEL: "silent" });
    const [out] = lines(r.stdout);
    expect(out.llm).toBeUndefined();
    expect(out.answer).not.toContain("[1]");
    expect(requests.length).toBe(before);
  });
});
