/**
 * `npm run bench`: the core figures on one core (`taskset -c 0`), then the bot figures, whose fake
 * Bot API runs in a worker thread (on the other core, like a server on another machine). Each part
 * loads only its own modules: the bot's dependencies measurably slow the core's hot loops.
 */
const part = process.argv[2] ?? "all";
console.log(`collector-coach bench (${part}) · node ${process.version} · ${new Date().toISOString()}`);
if (part === "core" || part === "all") (await import("./core.ts")).runCoreBench();
if (part === "core" || part === "all") await (await import("./practice.ts")).runPracticeBench();
if (part === "bot" || part === "all") await (await import("./bot.ts")).runBotBench();
if (part === "cluster" || part === "all") await (await import("./cluster.ts")).runClusterBench();
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
