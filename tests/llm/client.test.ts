import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmFailure, retryAfterMs } from "../../src/llm/client.ts";
import type { RenderedPrompt } from "../../src/llm/prompts.ts";
import { type Body, CHAT, completion, LLM_HOST, testClient } from "./helpers.ts";
import { nock } from "./nock-setup.ts";

const schema = z.object({ answer: z.string(), covered: z.boolean() });
const prompt: RenderedPrompt = {
  id: "answer",
  version: "9",
  messages: [
    { role: "system", content: "只输出 JSON" },
    { role: "user", content: "问题" },
  ],
};
const good = { answer: "先共情 [1]", covered: true };

async function failure(p: Promise<unknown>): Promise<LlmFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmFailure);
  return err as LlmFailure;
}

describe("LLM client: structured output", () => {
  it("asks for a JSON schema, validates the answer with zod and records prompt id, version and usage", async () => {
    let body: Body | undefined;
    nock(LLM_HOST)
      .post(CHAT, (b: Body) => {
        body = b;
        return true;
      })
      .reply(200, completion(good));
    const r = await testClient().json(prompt, schema);
    expect(r.value).toEqual(good);
    expect(r).toMatchObject({ promptId: "answer", promptVersion: "9", model: "test-model" });
    expect(r.usage).toEqual({ promptTokens: 100, completionTokens: 20, totalTokens: 120 });
    expect(body?.response_format?.type).toBe("json_schema");
    expect(body?.model).toBe("test-model");
  });

  it("reads fenced JSON with chatter around it from an endpoint without structured output", async () => {
    let body: Body | undefined;
    nock(LLM_HOST)
      .post(CHAT, (b: Body) => {
        body = b;
        return true;
      })
      .reply(200, completion(`好的，结果如下：\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\`\n希望有帮助`));
    const r = await testClient({ structured: "text" }).json(prompt, schema);
    expect(r.value).toEqual(good);
    expect(body?.response_format).toBeUndefined();
  });

  it("falls back to JSON mode when the endpoint rejects json_schema (DeepSeek)", async () => {
    const formats: string[] = [];
    nock(LLM_HOST)
      .post(CHAT, (b: Body) => {
        formats.push(b.response_format?.type ?? "none");
        return true;
      })
      .reply(400, { error: { message: "This response_format type is unavailable now" } })
      .post(CHAT, (b: Body) => {
        formats.push(b.response_format?.type ?? "none");
        return true;
      })
      .reply(200, completion(good));
    const client = testClient();
    expect((await client.json(prompt, schema)).value).toEqual(good);
    expect(formats).toEqual(["json_schema", "json_object"]);
  });

  it("drops the temperature for a model that only takes the default", async () => {
    const temps: unknown[] = [];
    nock(LLM_HOST)
      .post(CHAT, (b: Body & { temperature?: number }) => {
        temps.push(b.temperature);
        return true;
      })
      .reply(400, { error: { message: "Unsupported value: 'temperature' does not support 0.2" } })
      .post(CHAT, (b: Body & { temperature?: number }) => {
        temps.push(b.temperature);
        return true;
      })
      .reply(200, completion(good));
    expect((await testClient().json(prompt, schema)).value).toEqual(good);
    expect(temps).toEqual([0.2, undefined]);
  });

  it.each([
    ["malformed JSON", completion("{answer: 先共情"), "bad-output"],
    ["JSON of the wrong shape", completion({ answer: 3 }), "bad-output"],
    ["an empty choice list", completion("x", { choices: [] }), "empty"],
    ["empty content", completion(""), "empty"],
    [
      "a refusal",
      {
        ...completion(null),
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, refusal: "I can't help" },
            finish_reason: "stop",
          },
        ],
      },
      "refusal",
    ],
  ])("%s is a failure the caller can fall back on", async (_name, reply, reason) => {
    nock(LLM_HOST).post(CHAT).reply(200, reply);
    expect((await failure(testClient().json(prompt, schema))).reason).toBe(reason);
  });
});

describe("LLM client: retries, timeout and circuit breaker", () => {
  it("honours 429 retry-after, then succeeds", async () => {
    const waits: number[] = [];
    nock(LLM_HOST)
      .post(CHAT)
      .reply(429, { error: { message: "slow down" } }, { "retry-after": "1" })
      .post(CHAT)
      .reply(200, completion(good));
    const client = testClient();
    // biome-ignore lint/suspicious/noExplicitAny: test seam for the sleep
    (client as any).sleep = async (ms: number) => void waits.push(ms);
    expect((await client.json(prompt, schema)).value).toEqual(good);
    expect(waits).toEqual([1000]);
  });

  it("gives up at once when retry-after is longer than the time budget", async () => {
    nock(LLM_HOST)
      .post(CHAT)
      .reply(429, { error: { message: "slow down" } }, { "retry-after": "600" });
    const t0 = Date.now();
    expect((await failure(testClient().json(prompt, schema))).reason).toBe("rate-limited");
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("retries a 500 with backoff and succeeds; three 500s in a row fail as a server error", async () => {
    nock(LLM_HOST)
      .post(CHAT)
      .reply(500, { error: { message: "boom" } })
      .post(CHAT)
      .reply(200, completion(good));
    expect((await testClient().json(prompt, schema)).value).toEqual(good);
    nock(LLM_HOST)
      .post(CHAT)
      .times(3)
      .reply(500, { error: { message: "boom" } });
    expect((await failure(testClient().json(prompt, schema))).reason).toBe("server");
  });

  it("a slow endpoint ends in a timeout within the budget", async () => {
    nock(LLM_HOST).post(CHAT).delay(5000).reply(200, completion(good));
    const t0 = Date.now();
    expect((await failure(testClient({ timeoutMs: 400 }).json(prompt, schema))).reason).toBe("timeout");
    expect(Date.now() - t0).toBeLessThan(400 + 1000);
  });

  it("opens after three failed calls (no request while open) and closes after a good trial call", async () => {
    let now = 1_000_000;
    const client = testClient(
      { maxAttempts: 1, breaker: { failureThreshold: 3, cooldownMs: 30_000 } },
      { now: () => now },
    );
    nock(LLM_HOST)
      .post(CHAT)
      .times(3)
      .reply(503, { error: { message: "down" } });
    for (let i = 0; i < 3; i++) expect((await failure(client.json(prompt, schema))).reason).toBe("server");
    expect(client.breaker.state).toBe("open");
    // no interceptor left: a request would be refused by nock and fail as "network", not "circuit-open"
    expect((await failure(client.json(prompt, schema))).reason).toBe("circuit-open");
    now += 30_000;
    expect(client.breaker.state).toBe("half-open");
    nock(LLM_HOST).post(CHAT).reply(200, completion(good));
    expect((await client.json(prompt, schema)).value).toEqual(good);
    expect(client.breaker.state).toBe("closed");
  });

  it("a failed trial call opens the circuit again", async () => {
    let now = 1_000_000;
    const client = testClient(
      { maxAttempts: 1, breaker: { failureThreshold: 2, cooldownMs: 10_000 } },
      { now: () => now },
    );
    nock(LLM_HOST).post(CHAT).times(3).reply(500, {});
    await failure(client.json(prompt, schema));
    await failure(client.json(prompt, schema));
    now += 10_000;
    await failure(client.json(prompt, schema));
    expect(client.breaker.state).toBe("open");
  });

  it("reads retry-after as seconds, an HTTP date or retry-after-ms", () => {
    const now = Date.parse("2026-11-30T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after-ms": "150" }), now)).toBe(150);
    expect(retryAfterMs(new Headers({ "retry-after": "Mon, 30 Nov 2026 00:00:05 GMT" }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({}), now)).toBeUndefined();
  });
});
