import { join } from "node:path";
import type { Config } from "../config.ts";
import { readStore } from "../ingest/store.ts";
import type { SearchDoc } from "../retrieval/retriever.ts";
import { Coach } from "./coach.ts";

export function passagesFile(config: Pick<Config, "DATA_DIR">): string {
  return join(config.DATA_DIR, "ingested", "passages.json");
}

/** Ingested passages that passed screening (quarantined ones are never served). */
export function loadServedPassages(config: Pick<Config, "DATA_DIR">): SearchDoc[] {
  return readStore(passagesFile(config)).passages;
}

export function createCoach(config: Config): Coach {
  return new Coach({
    ...(config.KNOWLEDGE_DIR ? { knowledgeDir: config.KNOWLEDGE_DIR } : {}),
    extraRulesDirs: config.EXTRA_RULES_DIR ? [config.EXTRA_RULES_DIR] : [],
    settings: {
      contactHours: {
        blockFrom: config.CONTACT_BLOCK_FROM,
        blockUntil: config.CONTACT_BLOCK_UNTIL,
        warnFrom: config.CONTACT_WARN_FROM,
      },
      callLimits: { connected: config.DAILY_CONNECTED_CALLS, attempts: config.DAILY_CALL_ATTEMPTS },
    },
    passages: loadServedPassages(config),
    ...(config.RETRIEVAL_THRESHOLD ? { retrievalThreshold: config.RETRIEVAL_THRESHOLD } : {}),
  });
}
