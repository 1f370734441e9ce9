/**
 * Checks before anything starts, so that a failed start names every problem at once: another
 * runtime already running (its state file names a live pid), and every configured port taken.
 */
import { createServer } from "node:net";
import { CommandError } from "../cli/cli-errors";
import { PORT_FLAGS, PORT_LABELS, PORT_VARIABLES, type PortName } from "./config";
import { isAlive, readState, type RuntimeState } from "./state-file";

/** The runtime that owns `file`, if its process is still alive (a crashed one leaves a stale file). */
export function runningRuntime(file: string): RuntimeState | undefined {
  const state = readState(file);
  return state && state.pid !== process.pid && isAlive(state.pid) ? state : undefined;
}

export function describeRuntime(state: RuntimeState, file: string) {
  return `Another npm start is running (pid ${state.pid}, stage ${state.stage}, ${state.endpoints.http}; state in ${file}).`;
}

function isTaken(port: number) {
  return new Promise<boolean>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" ? resolve(true) : reject(error),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
}

export async function takenPorts(ports: Record<PortName, number>) {
  const names = (Object.keys(ports) as PortName[]).filter((name) => ports[name] !== 0);
  const taken = await Promise.all(names.map((name) => isTaken(ports[name])));
  return names.filter((_, i) => taken[i]);
}

/** Throws one CommandError naming the running runtime and every taken port. */
export async function preflight(ports: Record<PortName, number>, stateFile: string) {
  const other = runningRuntime(stateFile);
  const taken = await takenPorts(ports);
  const lines: string[] = [];
  if (other)
    lines.push(
      `${describeRuntime(other, stateFile)} Stop it first (Ctrl-C in its terminal, or kill ${other.pid}), or give this one its own LOCAL_RUNTIME_STATE_FILE and ports.`,
    );
  if (taken.length > 0) {
    const list = taken
      .map((name) => `${ports[name]} (${PORT_LABELS[name]}: --${PORT_FLAGS[name]} or ${PORT_VARIABLES[name]})`)
      .join(", ");
    lines.push(`${taken.length === 1 ? "Port" : "Ports"} already in use: ${list}. Choose free ports (0 picks any).`);
  }
  if (lines.length > 0) throw new CommandError(lines.join("\n"));
}
