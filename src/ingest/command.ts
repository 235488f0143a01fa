import type { Config } from "../config.ts";
export async function runIngestCommand(_config: Config, _folder: string | undefined): Promise<number> {
  process.stderr.write("ingest: not yet available\n");
  return 1;
}
