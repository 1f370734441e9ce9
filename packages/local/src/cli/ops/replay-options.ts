/** `replay` arguments → the time range, the replay's name and whether to wait for its end. */
import { UsageError } from "../cli-errors";
import { readOpsFlags, TARGET_USAGE, type OpsTarget } from "./ops-target";

export const REPLAY_USAGE = `Usage: npm run replay -- --from <time> [--to <time>] [--name <replay-name>] [--wait] [target]
Replays the order events archived between --from and --to (ISO-8601; --to defaults to now) into the
order bus; every rule gets them again (a status already delivered is a harmless duplicate).
  --name   the replay's name (default ops-<time>); letters, digits, . - _
  --wait   poll until the replay has ended (default: report its state after a few seconds)
${TARGET_USAGE}`;

export type ReplayOptions = { from: Date; to: Date; name: string; wait: boolean; target: OpsTarget };

const REPLAY_FLAGS = {
  from: { type: "string" },
  to: { type: "string" },
  name: { type: "string" },
  wait: { type: "boolean" },
} as const;

function time(flag: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new UsageError(
      `--${flag} must be an ISO-8601 time (e.g. 2026-11-26T10:00:00Z), got ${JSON.stringify(value)}`,
      false,
    );
  return date;
}

export function readReplayOptions(argv: string[], deps: { env: NodeJS.ProcessEnv; now: Date }): ReplayOptions {
  const { values, target } = readOpsFlags(argv, REPLAY_FLAGS, deps.env);
  if (typeof values.from !== "string") throw new UsageError("give --from <time>");
  const from = time("from", values.from);
  const to = typeof values.to === "string" ? time("to", values.to) : deps.now;
  if (from >= to) throw new UsageError("--from must be before --to", false);
  const name = typeof values.name === "string" ? values.name : `ops-${deps.now.toISOString().replace(/[^0-9]/g, "")}`;
  if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name))
    throw new UsageError(`--name must be 1–64 letters, digits, . - _, got ${JSON.stringify(name)}`, false);
  return { from, to, name, wait: values.wait === true, target };
}
