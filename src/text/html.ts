/** Escape text for Telegram's HTML parse mode. */
export function escapeHtml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Plain text of a Telegram-HTML message (for checking and for the console). */
export function stripHtml(s: string): string {
  return s
    .replace(/<[^>]*>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
}

export const TELEGRAM_TEXT_LIMIT = 4096;
