import { createInterface } from "node:readline";
import { formatAsk, formatCheck } from "../cli/format.ts";
import type { Config } from "../config.ts";
import { createCoach } from "../core/from-config.ts";

/** Local console chat over the same core (used when no Telegram token is configured). */
export async function runConsoleChat(config: Config): Promise<void> {
  const coach = createCoach(config);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "你> " });
  console.log("催收教练 · 本地控制台。直接输入问题；/check <话术> 检查合规；/quit 退出。");
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    if (text.startsWith("/check"))
      console.log(formatCheck(coach.check(text.replace(/^\/check\s*/, "") || " ")));
    else if (text) console.log(formatAsk(coach.ask(text)));
    rl.prompt();
  }
  rl.close();
}
