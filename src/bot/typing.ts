import type { BotContext } from "./context.ts";

/** Telegram shows "typing…" for about 5 s per chat action: repeat it while slow work (a model call) runs. */
export async function withTyping<T>(ctx: BotContext, work: () => Promise<T>, everyMs = 4500): Promise<T> {
  const show = () => ctx.replyWithChatAction("typing").catch(() => undefined);
  void show();
  const timer = setInterval(show, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
