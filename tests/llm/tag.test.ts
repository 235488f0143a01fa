import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { loadConfig } from "../../src/config.ts";
import { passagesFile } from "../../src/core/from-config.ts";
import { emptyStore, readStore, writeStore } from "../../src/ingest/store.ts";
import { loadPrompts } from "../../src/llm/prompts.ts";
import { tagPassages, tagStoredPassages } from "../../src/llm/tag-passages.ts";
import type { SearchDoc } from "../../src/retrieval/retriever.ts";
import { type Body, CHAT, completion, LLM_HOST, sentText, testClient } from "./helpers.ts";
import { nock } from "./nock-setup.ts";

const passage = (id: string, body: string, codes: string[] = []): SearchDoc => ({
  id,
  kind: "passage",
  title: `段落${id}`,
  codes,
  triggers: "",
  keywords: "",
  diagnosis: "",
  body,
  source: "handbook.docx",
});

describe("passage tagging (LLM mode)", () => {
  it("tags untagged passages with known scenario codes only (at most 3); tagged ones cost no request", async () => {
    const bodies: Body[] = [];
    nock(LLM_HOST)
      .post(CHAT, (b: Body) => {
        bodies.push(b);
        return true;
      })
      .reply(200, completion({ codes: ["no-income", "made-up", "illness", "repayment-plan", "follow-up"] }))
      .post(CHAT)
      .reply(200, completion("not json"));
    const input = [
      passage("1", "客户王强失业了，电话13812345678"),
      passage("2", "已标注", ["opening"]),
      passage("3", "坏的回答"),
    ];
    const r = await tagPassages(testClient(), loadPrompts(), input, silentLogger);
    expect(r.passages.map((p) => p.codes)).toEqual([
      ["no-income", "illness", "repayment-plan"],
      ["opening"],
      [],
    ]);
    expect(r).toMatchObject({ tagged: 1, failed: 1 });
    expect(input[0]!.codes).toEqual([]); // input untouched
    const sent = sentText(bodies[0]!);
    expect(sent).toContain("no-income：没钱/没收入");
    expect(sent).not.toContain("13812345678");
    expect(sent).not.toContain("王强");
  });

  it("after ingest, writes the codes into the passages file; with LLM mode off it sends nothing", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tag-"));
    const file = passagesFile({ DATA_DIR: dataDir });
    await writeStore(file, { ...emptyStore(), passages: [passage("a", "客户说生病住院")] });
    expect(await tagStoredPassages(loadConfig({ DATA_DIR: dataDir }), silentLogger)).toBeUndefined();
    nock(LLM_HOST)
      .post(CHAT)
      .reply(200, completion({ codes: ["illness"] }));
    const config = loadConfig({ DATA_DIR: dataDir, OPENAI_BASE_URL: `${LLM_HOST}/v1` });
    expect(await tagStoredPassages(config, silentLogger)).toEqual({ tagged: 1, failed: 0 });
    expect(readStore(file).passages[0]!.codes).toEqual(["illness"]);
  });
});
