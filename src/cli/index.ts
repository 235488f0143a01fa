#!/usr/bin/env node
import { createInterface } from "node:readline";
import { loadConfig } from "../config.ts";
import type { Coach } from "../core/coach.ts";
import { createCoach } from "../core/from-config.ts";
import { CoachError } from "../errors.ts";
import type { LlmCoach } from "../llm/llm-coach.ts";
import { askToJson, checkToJson, formatAsk, formatCheck } from "./format.ts";

const USAGE = `用法 usage: npm run cli -- <verb> [options] [text]

  ask "客户说…怎么办"        coaching answer (--json: JSON; no text: one question per stdin line)
  check "要检查的话术"        compliance check (--json, batch from stdin as for ask)
  chat                        interactive console chat over the same core
  ingest <folder>             clean and index a company's own training documents
  validate                    validate knowledge entries, rules and quiz questions
  webhook set|delete|info     register / remove / show the Telegram webhook (a deployment step)
`;

async function readLines(): Promise<string[]> {
  const lines: string[] = [];
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) lines.push(line);
  return lines;
}

async function runBatch(
  verb: "ask" | "check",
  coach: Coach,
  llm: LlmCoach | undefined,
  texts: string[],
  json: boolean,
): Promise<void> {
  for (const raw of texts) {
    const text = raw.trim();
    if (!text) {
      if (json)
        process.stdout.write(
          `${JSON.stringify({ [verb === "ask" ? "question" : "text"]: "", error: "empty input" })}\n`,
        );
      continue;
    }
    if (verb === "ask") {
      const r = llm ? await llm.ask(text, "cli") : coach.ask(text);
      process.stdout.write(`${json ? JSON.stringify(askToJson(r)) : formatAsk(r)}\n`);
    } else {
      const r = llm ? await llm.check(text, "cli") : coach.check(text);
      process.stdout.write(`${json ? JSON.stringify(checkToJson(r)) : formatCheck(r)}\n`);
    }
    if (!json) process.stdout.write("\n");
  }
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  const json = rest.includes("--json");
  const args = rest.filter((a) => !a.startsWith("--"));
  if (!verb || verb === "help" || verb === "--help" || verb === "-h") {
    process.stdout.write(USAGE);
    return verb ? 0 : 1;
  }
  const config = loadConfig();
  switch (verb) {
    case "ask":
    case "check": {
      const coach = createCoach(config);
      const { createLlmCoach } = await import("../llm/from-config.ts");
      const { createLogger } = await import("../bot/logger.ts");
      const llm = createLlmCoach(config, coach, createLogger(config.LOG_LEVEL));
      await llm?.ready();
      const texts = args.length ? [args.join(" ")] : await readLines();
      await runBatch(verb, coach, llm, texts, json);
      return 0;
    }
    case "chat": {
      const { runConsole } = await import("../app.ts");
      await runConsole(config);
      return 0;
    }
    case "ingest": {
      const { runIngestCommand } = await import("../ingest/command.ts");
      return runIngestCommand(config, args[0]);
    }
    case "webhook": {
      const { runWebhookCommand } = await import("./webhook.ts");
      return runWebhookCommand(config, args[0]);
    }
    case "validate": {
      const { runValidate } = await import("./validate.ts");
      return runValidate(config);
    }
    default:
      process.stderr.write(`未知命令 unknown verb "${verb}"\n\n${USAGE}`);
      return 2;
  }
}

// `… | head` closing the pipe early is not an error
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof CoachError ? err.message : (err as Error).stack}\n`);
    process.exitCode = 1;
  },
);
