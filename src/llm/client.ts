import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { z } from "zod";
import type { Logger } from "../bot/logger.ts";
import { CircuitBreaker } from "./breaker.ts";
import { extractJson } from "./json.ts";
import type { RenderedPrompt } from "./prompts.ts";

/** How the endpoint returns structured output: JSON schema (OpenAI, vLLM, Ollama), JSON mode (DeepSeek), or plain text. */
export type StructuredMode = "json_schema" | "json_object" | "text";

export interface LlmSettings {
  baseURL?: string | undefined;
  apiKey?: string | undefined;
  model: string;
  /** the whole call, retries included, ends within this */
  timeoutMs: number;
  structured?: StructuredMode;
  embeddingModel?: string | undefined;
  /** attempts per call (first try included) */
  maxAttempts?: number;
  breaker?: { failureThreshold: number; cooldownMs: number };
}

export type LlmFailureReason =
  | "timeout"
  | "rate-limited"
  | "server"
  | "network"
  | "bad-request"
  | "bad-output"
  | "refusal"
  | "empty"
  | "circuit-open"
  | "budget";

/** Why an LLM call gave nothing usable: the caller falls back to the offline result. */
export class LlmFailure extends Error {
  constructor(
    readonly reason: LlmFailureReason,
    message: string = reason,
  ) {
    super(message);
    this.name = "LlmFailure";
  }
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export interface LlmResult<T> {
  value: T;
  promptId: string;
  promptVersion: string;
  model: string;
  usage: Usage | undefined;
}

export interface LlmClientOptions {
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** retry-after-ms, else retry-after in seconds or as an HTTP date (libraries.md §1). */
export function retryAfterMs(h: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number(h?.get("retry-after-ms"));
  if (ms > 0) return ms;
  const v = h?.get("retry-after");
  if (!v) return undefined;
  const at = Number.isNaN(Number(v)) ? Date.parse(v) - now : Number(v) * 1000;
  return at > 0 ? at : undefined;
}

const BACKOFF_MS = 250;
/** time kept back from the budget so that the caller can still answer offline */
const MARGIN_MS = 50;

/**
 * The one LLM client, over the openai SDK against any OpenAI-compatible endpoint. The SDK's own
 * retries are off (its Retry-After is uncapped in 6.x): this client retries 429 (honouring
 * retry-after when it fits the time budget), 5xx and network errors with backoff, bounds the whole
 * call by `timeoutMs`, and stops calling a failing endpoint for a while (circuit breaker).
 * Structured output is validated with zod whatever the endpoint claims.
 */
export class LlmClient {
  readonly sdk: OpenAI;
  readonly breaker: CircuitBreaker;
  readonly model: string;
  readonly embeddingModel: string | undefined;
  private structured: StructuredMode;
  /** low for steady answers; dropped for models that only take the default (o-series, some reasoners) */
  private temperature: number | undefined = 0.2;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly settings: LlmSettings,
    private readonly options: LlmClientOptions,
  ) {
    this.sdk = new OpenAI({
      baseURL: settings.baseURL ?? "https://api.openai.com/v1",
      apiKey: settings.apiKey || "unused",
      timeout: settings.timeoutMs,
      maxRetries: 0,
      // looked up per call, so that a test's nock (or any later fetch patch) is used
      fetch: (url, init) => globalThis.fetch(url, init),
    });
    this.model = settings.model;
    this.embeddingModel = settings.embeddingModel;
    this.structured = settings.structured ?? "json_schema";
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.breaker = new CircuitBreaker({
      failureThreshold: settings.breaker?.failureThreshold ?? 3,
      cooldownMs: settings.breaker?.cooldownMs ?? 30_000,
      now: this.now,
    });
  }

  /** A chat completion whose answer must be JSON matching `schema` (a z.object with required fields). */
  async json<S extends z.ZodObject>(
    prompt: RenderedPrompt,
    schema: S,
    options: { timeoutMs?: number } = {},
  ): Promise<LlmResult<z.infer<S>>> {
    const started = this.now();
    const deadline = started + (options.timeoutMs ?? this.settings.timeoutMs) - MARGIN_MS;
    const attempts = this.settings.maxAttempts ?? 3;
    if (!this.breaker.allow()) throw new LlmFailure("circuit-open", "endpoint failing, not called for now");
    let lastReason: LlmFailureReason = "timeout";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const left = deadline - this.now();
      if (left <= 0) break;
      try {
        const response = await this.sdk.chat.completions.create(
          {
            model: this.model,
            messages: prompt.messages,
            ...(this.temperature === undefined ? {} : { temperature: this.temperature }),
            ...this.responseFormat(schema, prompt.id),
          },
          { signal: AbortSignal.timeout(left), timeout: left, maxRetries: 0 },
        );
        this.breaker.success();
        const usage = response.usage
          ? {
              promptTokens: response.usage.prompt_tokens,
              completionTokens: response.usage.completion_tokens,
              totalTokens: response.usage.total_tokens,
            }
          : undefined;
        this.options.logger.info("llm call", {
          prompt: prompt.id,
          version: prompt.version,
          model: this.model,
          ms: this.now() - started,
          attempts: attempt,
          ...usage,
        });
        return {
          value: this.read(response, schema),
          promptId: prompt.id,
          promptVersion: prompt.version,
          model: this.model,
          usage,
        };
      } catch (err) {
        if (err instanceof LlmFailure) throw err;
        const next = this.classify(err);
        lastReason = next.reason;
        this.options.logger.warn("llm call failed", {
          prompt: prompt.id,
          attempt,
          reason: next.reason,
          status: err instanceof OpenAI.APIError ? err.status : undefined,
        });
        if (next.downgrade) {
          attempt--; // the endpoint spoke; ask again in JSON mode, not counted as a retry
          continue;
        }
        if (!next.retry || attempt === attempts) break;
        const wait = next.waitMs ?? BACKOFF_MS * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
        if (this.now() + wait >= deadline) break; // retry-after beyond the budget: give up now
        await this.sleep(wait);
      }
    }
    this.breaker.failure();
    throw new LlmFailure(lastReason, `LLM call failed (${lastReason})`);
  }

  /** Vectors for texts (OPENAI_EMBEDDING_MODEL), float encoding asked explicitly. */
  async embed(texts: string[], timeoutMs = this.settings.timeoutMs): Promise<number[][]> {
    if (!this.embeddingModel) throw new LlmFailure("bad-request", "no embedding model configured");
    if (!this.breaker.allow()) throw new LlmFailure("circuit-open");
    try {
      const r = await this.sdk.embeddings.create(
        { model: this.embeddingModel, input: texts, encoding_format: "float" },
        { signal: AbortSignal.timeout(timeoutMs), timeout: timeoutMs, maxRetries: 0 },
      );
      this.breaker.success();
      const out = [...r.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (out.length !== texts.length || out.some((v) => !Array.isArray(v) || v.length === 0))
        throw new LlmFailure("bad-output", "embedding count or shape does not match the input");
      this.options.logger.info("llm embeddings", {
        model: this.embeddingModel,
        inputs: texts.length,
        totalTokens: r.usage?.total_tokens,
      });
      return out;
    } catch (err) {
      if (err instanceof LlmFailure) throw err;
      const { reason } = this.classify(err);
      this.breaker.failure();
      throw new LlmFailure(reason, `embedding call failed (${reason})`);
    }
  }

  private responseFormat(schema: z.ZodObject, name: string) {
    if (this.structured === "json_schema")
      return { response_format: zodResponseFormat(schema, name.replace(/[^a-zA-Z0-9_-]/g, "_")) };
    if (this.structured === "json_object") return { response_format: { type: "json_object" as const } };
    return {};
  }

  private read<S extends z.ZodObject>(response: OpenAI.Chat.ChatCompletion, schema: S): z.infer<S> {
    const choice = response.choices?.[0];
    if (!choice) throw new LlmFailure("empty", "the endpoint returned no choice");
    const message = choice.message;
    if (message?.refusal || choice.finish_reason === "content_filter")
      throw new LlmFailure("refusal", "the model refused");
    const content = message?.content?.trim();
    if (!content) throw new LlmFailure("empty", "the model returned no content");
    const parsed = schema.safeParse(extractJson(content));
    if (!parsed.success) throw new LlmFailure("bad-output", "the model's JSON does not match the schema");
    return parsed.data;
  }

  private classify(err: unknown): {
    reason: LlmFailureReason;
    retry: boolean;
    waitMs?: number | undefined;
    downgrade?: boolean;
  } {
    // our deadline signal is the only abort: the SDK reports it as a user abort
    if (err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError)
      return { reason: "timeout", retry: false };
    if (err instanceof OpenAI.RateLimitError)
      return { reason: "rate-limited", retry: true, waitMs: retryAfterMs(err.headers, this.now()) };
    if (
      err instanceof OpenAI.BadRequestError &&
      this.temperature !== undefined &&
      /temperature/i.test(err.message)
    ) {
      this.temperature = undefined;
      return { reason: "bad-request", retry: true, downgrade: true };
    }
    if (
      err instanceof OpenAI.BadRequestError &&
      this.structured !== "text" &&
      /response_format|json/i.test(err.message)
    ) {
      // e.g. DeepSeek: "This response_format type is unavailable now" → JSON mode, then plain text
      this.structured = this.structured === "json_schema" ? "json_object" : "text";
      return { reason: "bad-request", retry: true, downgrade: true };
    }
    if (err instanceof OpenAI.APIError && err.status !== undefined)
      return err.status >= 500 || err.status === 408 || err.status === 409
        ? { reason: "server", retry: true }
        : { reason: "bad-request", retry: false };
    if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"))
      return { reason: "timeout", retry: false };
    if (err instanceof OpenAI.APIConnectionError) return { reason: "network", retry: true };
    return { reason: "network", retry: false };
  }
}
