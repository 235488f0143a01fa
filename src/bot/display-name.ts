/** How a Telegram user is named in lists and reports: first and last name, else the id. */
export function displayName(from: { id: number; first_name: string; last_name?: string }): string {
  return [from.first_name, from.last_name].filter(Boolean).join(" ") || String(from.id);
}
