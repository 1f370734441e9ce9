/**
 * The handlers log through Powertools Logger, which writes one JSON object per line — right for
 * CloudWatch, out of place among the runtime's one-line log. The runtime sets `POWERTOOLS_DEV` (the
 * Logger then writes through the global console); each execution environment hands its console
 * output to the runtime (as Lambda hands it to CloudWatch), and this turns each Logger record into a
 * runtime log line, in the runtime's format (text, or `--json`). Anything else printed passes through.
 */
import type { ConsoleLine } from "@awsomepets/aws-local/lambda/environment";
import type { Log } from "./log";

const METHODS = ["log", "info", "warn", "error", "debug"] as const;
/** Powertools' envelope: what every line carries, or what the runtime's line already says. */
const ENVELOPE = new Set([
  "level",
  "message",
  "timestamp",
  "service",
  "sampling_rate",
  "xray_trace_id",
  "function_memory_size",
  "function_arn",
  "function_request_id",
  "cold_start",
  "function_name",
]);

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

function logRecord(log: Log, record: PowertoolsRecord, functionName?: unknown) {
  const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !ENVELOPE.has(key)));
  log({
    component: "function",
    message: record.message,
    level: record.level.toLowerCase(),
    fn: functionName ?? record.function,
    ...fields,
    function: undefined,
  });
}

/** For the execution environments' console output (aws-local's function pool `onConsole`). */
export function handlerConsole(log: Log) {
  return (line: ConsoleLine) => {
    const record = asPowertoolsRecord([line.text]);
    if (record) return logRecord(log, record, line.functionName);
    const stream =
      line.method === "error" || line.method === "warn" || line.method === "trace" ? process.stderr : process.stdout;
    stream.write(`${line.text}\n`);
  };
}

/**
 * For handlers run in this process instead of an execution environment (bench's `overrideHandlers`):
 * installs the same bridge on this process's console; returns what undoes it.
 */
export function bridgeHandlerLogs(log: Log): () => void {
  const originals = METHODS.map((method) => [method, console[method]] as const);
  for (const [method, original] of originals) {
    console[method] = (...args: unknown[]) => {
      const record = asPowertoolsRecord(args);
      if (!record) return original.apply(console, args);
      logRecord(log, record);
    };
  }
  return () => {
    for (const [method, original] of originals) console[method] = original;
  };
}
