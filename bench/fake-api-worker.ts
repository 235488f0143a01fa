/**
 * The local fake Bot API in its own thread, so the bot under test does not share its event loop
 * with the server it talks to (a real Bot API server is another machine).
 */
import { parentPort } from "node:worker_threads";
import type { Update } from "grammy/types";
import { FakeBotApi } from "../tests/bot/fake-api.ts";

const port = parentPort!;
const api = await new FakeBotApi().start();
let expected = 0;
let answered = 0;
api.onCall((c) => {
  if (c.method === "sendMessage" && ++answered === expected) port.postMessage({ kind: "answered" });
});
port.on("message", async (m: { kind: "push"; updates: Update[] } | { kind: "stop" }) => {
  if (m.kind === "push") {
    expected = m.updates.length;
    answered = 0;
    api.pushUpdates(m.updates);
  } else {
    await api.stop();
    port.close();
  }
});
port.postMessage({ kind: "ready", url: api.url });
