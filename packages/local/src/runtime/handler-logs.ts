/**
 * The handlers log through Powertools Logger, which writes one JSON object per line — right for
 * CloudWatch, out of place among the runtime's one-line log. The runtime sets `POWERTOOLS_DEV` (the
 * Logger then writes through the global console) and this bridge turns each Logger record into a
 * runtime log line, in the runtime's format (text, or `--json`). Anything else printed passes through.
 */
import type { Log } from "./log";

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
/** Powertools' envelope: what every line carries, or what the runtime's line already says. */
const ENVELOPE = new Set(["level", "message", "timestamp", "service", "sampling_rate", "xray_trace_id", "function_memory_size", "function_arn", "function_request_id", "cold_start", "function_name"]);

type PowertoolsRecord = { level: string; message: string; service: string; [key: string]: unknown };

function asPowertoolsRecord(args: unknown[]): PowertoolsRecord | undefined {
  if (args.length !== 1 || typeof args[0] !== "string" || !args[0].startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(args[0]) as Partial<PowertoolsRecord>;
    return typeof parsed.level === "string" && typeof parsed.message === "string" && typeof parsed.service === "string"
      ? (parsed as PowertoolsRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Installs the bridge; returns what undoes it (the runtime calls it on close). */
export function bridgeHandlerLogs(log: Log): () => void {
  const originals = METHODS.map((method) => [method, console[method]] as const);
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      const record = asPowertoolsRecord(args);
      if (!record) return original.apply(console, args);
      const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !ENVELOPE.has(key)));
      log({ component: "function", message: record.message, level: record.level.toLowerCase(), fn: record.function, ...fields, function: undefined });
    };
  }
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}
