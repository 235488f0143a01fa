import { parse } from "csv-parse/sync";
import { Composer } from "grammy";
import { z } from "zod";
import { newUser, type User } from "../../storage/users.ts";
import type { BotContext } from "../context.ts";
import { isAdmin } from "../filters/roles.ts";
import type { Messages } from "../locales/index.ts";
import { html } from "../middleware.ts";

/**
 * Admin bulk onboarding: a CSV document (user id, name, role, team; UTF-8, header optional) sent in
 * a private chat registers or updates every valid row and reports the rest by line. Imported users
 * are recognised as soon as they write to the bot.
 */
export const importTeam = new Composer<BotContext>();

export const IMPORT_MAX_ROWS = 2000;
const MAX_BYTES = 1_000_000;

const ROLE_WORDS: Record<string, "collector" | "supervisor"> = {
  collector: "collector",
  催收员: "collector",
  催收員: "collector",
  supervisor: "supervisor",
  主管: "supervisor",
};

export const ImportRow = z.object({
  id: z.string().regex(/^\d{1,15}$/, "id"),
  name: z.string().trim().min(1, "name").max(64, "name"),
  role: z
    .string()
    .trim()
    .transform((r) => ROLE_WORDS[r.toLowerCase()])
    .refine((r) => r !== undefined, "role"),
  team: z.string().trim().min(1, "team").max(40, "team"),
});
export type ImportRow = z.infer<typeof ImportRow>;

/** Parse the CSV into valid rows and friendly errors (line numbers as a spreadsheet shows them). */
export function parseImport(
  csv: string,
  t: Messages,
): { rows: Array<ImportRow & { line: number }>; errors: string[]; tooBig: boolean } {
  // info: the line each record starts on, as a spreadsheet numbers it (blank lines count)
  const records = parse(csv.replace(/^\uFEFF/, ""), {
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    info: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  if (records.length > IMPORT_MAX_ROWS + 1) return { rows: [], errors: [], tooBig: true };
  const rows: Array<ImportRow & { line: number }> = [];
  const errors: string[] = [];
  records.forEach(({ record: rec, info }, i) => {
    if (i === 0 && !/^\d+$/.test(rec[0] ?? "")) return; // header
    const [id = "", name = "", role = "", team = ""] = rec;
    const r = ImportRow.safeParse({ id, name, role, team });
    if (r.success) rows.push({ ...r.data, line: info.lines });
    else {
      const why = r.error.issues[0]?.message as keyof Messages["importWhy"];
      errors.push(t.importRowError(info.lines, t.importWhy[why] ?? why));
    }
  });
  return { rows, errors, tooBig: false };
}

importTeam
  .chatType("private")
  .filter(isAdmin)
  .on("message:document", async (ctx, next) => {
    const doc = ctx.msg.document;
    const isCsv = /\.csv$/i.test(doc.file_name ?? "") || doc.mime_type === "text/csv";
    if (!isCsv) return ctx.msg.caption ? next() : void (await ctx.reply(ctx.t.importNotCsv));
    if ((doc.file_size ?? 0) > MAX_BYTES) return void (await ctx.reply(ctx.t.importTooBig(IMPORT_MAX_ROWS)));
    const { storage, clock, config, logger } = ctx.deps;
    const file = await ctx.getFile();
    if (!file.file_path) return void (await ctx.reply(ctx.t.error));
    const csv = (await ctx.deps.download(file.file_path)).toString("utf8");
    let parsed: ReturnType<typeof parseImport>;
    try {
      parsed = parseImport(csv, ctx.t);
    } catch {
      return void (await ctx.reply(ctx.t.importUsage));
    }
    if (parsed.tooBig) return void (await ctx.reply(ctx.t.importTooBig(IMPORT_MAX_ROWS)));
    if (!parsed.rows.length && !parsed.errors.length) return void (await ctx.reply(ctx.t.importUsage));
    const admins = new Set(config.ADMIN_IDS);
    let added = 0;
    let updated = 0;
    const errors = [...parsed.errors];
    const now = clock.now();
    for (const row of parsed.rows) {
      const id = Number(row.id);
      const existing = await storage.users.get(id);
      if (admins.has(id) || existing?.role === "admin") {
        errors.push(ctx.t.importRowError(row.line, ctx.t.importWhy.admin));
        continue;
      }
      if (existing) {
        await storage.users.patch(
          id,
          (u): User => ({ ...u, name: row.name, role: row.role, team: row.team }),
        );
        updated++;
      } else {
        await storage.users.put(
          newUser({
            id,
            role: row.role,
            team: row.team,
            name: row.name,
            locale: "zh-CN",
            now,
            dailyTime: config.DAILY_DEFAULT_TIME,
          }),
        );
        added++;
      }
    }
    logger.info("team imported", { by: ctx.from.id, added, updated, errors: errors.length });
    await ctx.reply(ctx.t.importReport(added, updated, errors), html);
  });
