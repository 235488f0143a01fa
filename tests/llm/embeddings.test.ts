import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/bot/logger.ts";
import { Coach } from "../../src/core/coach.ts";
import { EmbeddingIndex, reciprocalRankFusion } from "../../src/llm/embeddings.ts";
import type { Hit, SearchDoc } from "../../src/retrieval/retriever.ts";
import { realCoach } from "../helpers.ts";
import { CHAT, completion, EMBED, LLM_HOST, testClient, testLlmCoach } from "./helpers.ts";
import { nock } from "./nock-setup.ts";

const doc = (id: string, title: string): SearchDoc => ({
  id,
  kind: "entry",
  title,
  codes: [id],
  triggers: "",
  keywords: "",
  diagnosis: "",
  body: "",
});
const docs = [doc("a", "失业没钱"), doc("b", "生病住院"), doc("c", "要求减免")];
/** a fake embedding: one axis per topic word */
const vectorOf = (t: string) => [
  /没钱|失业|裁员/.test(t) ? 1 : 0,
  /生病|住院|看病/.test(t) ? 1 : 0,
  /减免/.test(t) ? 1 : 0.01,
];
const lexicalHit = (d: SearchDoc, score: number): Hit => ({
  id: d.id,
  kind: d.kind,
  title: d.title,
  codes: d.codes,
  score,
});

function embeddingsEndpoint(times = 1) {
  const inputs: string[][] = [];
  nock(LLM_HOST)
    .post(EMBED, (b: { input: string[]; encoding_format: string }) => {
      inputs.push(b.input);
      return b.encoding_format === "float";
    })
    .times(times)
    .reply(200, (_uri, b) => {
      const input = (b as { input: string[] }).input;
      return {
        object: "list",
        model: "emb",
        data: input.map((t, index) => ({ object: "embedding", index, embedding: vectorOf(t) })),
        usage: { prompt_tokens: 10, total_tokens: 10 },
      };
    });
  return inputs;
}

describe("reciprocal rank fusion", () => {
  it("ranks what both lists rank high first", () => {
    const fused = reciprocalRankFusion([
      ["x", "y", "z"],
      ["y", "z", "w"],
    ]);
    expect(fused.map((f) => f.id)).toEqual(["y", "z", "x", "w"]);
  });
});

describe("embedding index", () => {
  it("embeds every document once, caches vectors on disk by content, and fuses vector and lexical ranks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emb-"));
    const client = testClient({ embeddingModel: "emb" });
    const inputs = embeddingsEndpoint(2); // the documents, then the question
    const index = new EmbeddingIndex(client, docs, dir, silentLogger);
    await index.warm();
    expect(index.isReady).toBe(true);
    expect(inputs[0]).toHaveLength(3);
    // the lexical ranking only found "c"; the vectors know the question is about illness
    const hits = await index.search("他住院了", [lexicalHit(docs[2]!, 50)], 1000);
    expect(hits.map((h) => h.id)).toEqual(["c", "b", "a"]);
    expect(hits.find((h) => h.id === "b")).toMatchObject({ title: "生病住院", score: 0 });
    expect(readdirSync(dir)).toEqual(["emb.json"]);

    // a second index over the same content needs no request for the documents
    const again = new EmbeddingIndex(client, docs, dir, silentLogger);
    await again.warm(); // no interceptor left: a request would fail and leave it not ready
    expect(again.isReady).toBe(true);
  });

  it("an embedding endpoint that fails leaves the lexical order (and the answer) working", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emb-"));
    nock(LLM_HOST).post(EMBED).reply(500, {});
    const client = testClient({ embeddingModel: "emb" });
    const index = new EmbeddingIndex(client, docs, dir, silentLogger);
    await index.warm();
    expect(index.isReady).toBe(false);
    const lexical = [lexicalHit(docs[0]!, 300)];
    expect(await index.search("没钱", lexical, 1000)).toEqual(lexical);
  });

  it("in LLM mode the hybrid order chooses the sources the model reads", async () => {
    nock(LLM_HOST)
      .post(CHAT, (b: { messages: Array<{ content: string }> }) =>
        b.messages.some((m) => m.content.includes("[1] 生病住院")),
      )
      .reply(200, completion({ answer: "先关心他的病情 [1]。", covered: true }));
    const hybrid = {
      search: async (_q: string, _lexical: Hit[]) => [lexicalHit(docs[1]!, 0)],
    };
    const c = new Coach({
      entries: [...realCoach().entries.values()],
      passages: [{ ...docs[1]!, kind: "passage", body: "住院的客户先关心病情" }],
    });
    const r = await testLlmCoach({ coach: c, hybrid }).ask("客户怎么了");
    expect(r.llm.used).toBe(true);
    expect(r.hits.map((h) => h.id)).toEqual(["b"]);
  });
});
