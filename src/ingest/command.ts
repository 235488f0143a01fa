import { Presets, SingleBar } from "cli-progress";
import type { Config } from "../config.ts";
import { createCoach } from "../core/from-config.ts";
import { CoachError } from "../errors.ts";
import { type IngestSummary, ingestFolder } from "./ingest.ts";

/** The summary as the command prints it on stdout. */
export function formatSummary(s: IngestSummary): string {
  const lines = [
    `已导入 ingested ${s.folder}`,
    `  文件 files:                ${s.files} read${s.failedFiles.length ? `, ${s.failedFiles.length} failed` : ""}`,
    `  段落 passages:             ${s.passages} served`,
    `  重复 duplicates dropped:   ${s.duplicatesDropped}`,
    `  隔离 quarantined:          ${s.quarantined.length}`,
  ];
  for (const q of s.quarantined) {
    lines.push(`    - ${q.file} › ${q.title}`);
    for (const r of q.reasons) {
      lines.push(`      ${r.rule} (${r.category}, ${r.severity}): «${r.evidence}» ${r.explanation}`);
    }
  }
  lines.push(`  不相关 set aside:          ${s.setAside.length}`);
  for (const a of s.setAside) lines.push(`    - ${a.file} › ${a.title}: ${a.reason}`);
  if (s.failedFiles.length) {
    lines.push("  未能读取 failed files:");
    for (const f of s.failedFiles) lines.push(`    - ${f.file}: ${f.reason}`);
  }
  lines.push(`  写入 written to ${s.store}`);
  return `${lines.join("\n")}\n`;
}

/**
 * `ingest <folder>`: progress on stderr, summary on stdout. Exit 0 even when some files failed
 * (they are listed); non-zero only when the folder is missing or unreadable.
 */
export async function runIngestCommand(config: Config, folder: string | undefined): Promise<number> {
  if (!folder) {
    process.stderr.write("用法 usage: npm run cli -- ingest <folder>\n");
    return 2;
  }
  const coach = createCoach(config);
  const engine = coach.engine;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: "ingest [{bar}] {value}/{total} {file}",
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  try {
    const summary = await ingestFolder(folder, {
      dataDir: config.DATA_DIR,
      engine,
      tag: (title, text) => coach.tagCodes(`${title}\n${text}`),
      onProgress: (done, total, file) => {
        if (!started) {
          bar.start(total, done, { file });
          started = true;
        } else bar.update(done, { file });
      },
    });
    if (started) bar.stop();
    process.stdout.write(formatSummary(summary));
    // LLM mode: scenario codes for the new passages (prompts/tag-passage.md)
    const { tagStoredPassages } = await import("../llm/tag-passages.ts");
    const { createLogger } = await import("../bot/logger.ts");
    const tags = await tagStoredPassages(config, createLogger(config.LOG_LEVEL));
    if (tags)
      process.stdout.write(
        `  标注 tagged (LLM):         ${tags.tagged} passages${tags.failed ? `, ${tags.failed} failed` : ""}\n`,
      );
    return 0;
  } catch (err) {
    if (started) bar.stop();
    if (err instanceof CoachError && err.code === "INGEST_UNREADABLE") {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
