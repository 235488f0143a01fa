import { type Logger as PinoLogger, pino } from "pino";
import { redact } from "../text/redact.ts";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
export interface Logger {
  debug(msg: string, context?: Record<string, unknown>): void;
  info(msg: string, context?: Record<string, unknown>): void;
  warn(msg: string, context?: Record<string, unknown>): void;
  error(msg: string, context?: Record<string, unknown>): void;
}

/** Wrap a pino logger in the (message, context) shape the code base logs with. */
export function fromPino(p: PinoLogger): Logger {
  const at =
    (lvl: "debug" | "info" | "warn" | "error") => (msg: string, context?: Record<string, unknown>) => {
      if (context) p[lvl](context, msg);
      else p[lvl](msg);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * Structured JSON lines through pino (stderr by default); phone, ID and bank card numbers are
 * redacted from every line, and tokens/keys by path. Errors under any key are serialised with
 * name, message, stack and the storage operation when there is one.
 */
export function createPino(
  level: LogLevel = "info",
  write: (line: string) => void = (l) => process.stderr.write(l),
): PinoLogger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ["token", "apiKey", "*.apiKey", "headers.authorization"], censor: "[redacted]" },
      serializers: { err: pino.stdSerializers.err },
    },
    { write: (line: string) => write(redact(line)) },
  );
}

export function createLogger(
  level: LogLevel = "info",
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  return fromPino(createPino(level, write));
}

export const silentLogger: Logger = createLogger("silent");
