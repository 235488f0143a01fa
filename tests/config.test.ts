import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";

describe("configuration", () => {
  it("has working defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.BOT_MODE).toBe("polling");
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(c.CONTACT_BLOCK_FROM).toBe(22);
    expect(c.ADMIN_IDS).toEqual([]);
  });

  it("names every bad field at once", () => {
    let message = "";
    try {
      loadConfig({ ADMIN_IDS: "12,abc", CONTACT_BLOCK_FROM: "30", TELEGRAM_API_ROOT: "not a url" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ADMIN_IDS/);
    expect(message).toMatch(/CONTACT_BLOCK_FROM/);
    expect(message).toMatch(/TELEGRAM_API_ROOT/);
  });

  it("requires URL and secret in webhook mode", () => {
    expect(() => loadConfig({ BOT_MODE: "webhook" })).toThrowError(
      /WEBHOOK_URL[\s\S]*WEBHOOK_SECRET|WEBHOOK_SECRET[\s\S]*WEBHOOK_URL/,
    );
  });
});
