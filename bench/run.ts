import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCoreBench } from "./core.ts";

console.log(`collector-coach bench · node ${process.version} · ${new Date().toISOString()}`);
runCoreBench();
if (existsSync(join(import.meta.dirname, "bot.ts"))) {
  const { runBotBench } = (await import("./bot.ts")) as { runBotBench: () => Promise<void> };
  await runBotBench();
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
