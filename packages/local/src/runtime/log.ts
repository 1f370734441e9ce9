/**
 * The local runtime's log: one line per thing that happened (route invocation, event match,
 * delivery, retry, dead letter), readable by default, JSON with `--json`.
 */
export type LogRecord = { component: string; message: string; [key: string]: unknown };
export type Log = (record: LogRecord) => void;

const FIRST_KEYS = ["orderId", "route", "connectionId", "status", "statusCode"];
/** Fields that only repeat what the line already says; kept in `--json` output. */
const HIDDEN_IN_TEXT = new Set(["source", "detailType", "bus", "stateMachine", "executionArn", "requestId"]);

function formatValue(value: unknown) {
  if (typeof value === "string") return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

export function createLog(options: { json: boolean; write?: (line: string) => void }): Log {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (options.json) return (record) => write(JSON.stringify({ time: new Date().toISOString(), ...record }));
  return ({ component, message, ...fields }) => {
    const keys = [
      ...FIRST_KEYS.filter((k) => k in fields),
      ...Object.keys(fields).filter((k) => !FIRST_KEYS.includes(k)),
    ];
    const rest = keys
      .filter((k) => fields[k] !== undefined && !HIDDEN_IN_TEXT.has(k))
      .map((k) => `${k}=${formatValue(fields[k])}`)
      .join(" ");
    write(`${new Date().toISOString().slice(11, 23)} ${component.padEnd(10)} ${message}${rest ? ` ${rest}` : ""}`);
  };
}
