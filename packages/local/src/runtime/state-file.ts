/**
 * `.sst/local/runtime.json`: what a running `npm start` tells the other local commands
 * (`publish-status --local`, `callback-url`, the operator commands): its endpoints, bus and token secret. Removed on
 * exit.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export type RuntimeState = {
  pid: number;
  stage: string;
  region: string;
  endpoints: {
    http: string;
    websocket: string;
    management: string;
    events: string;
    dynamodb: string;
    stepfunctions: string;
  };
  eventBusName: string;
  /** For `npm run replay` (optional: a state file written before they existed lacks them). */
  eventBusArn?: string;
  eventArchiveArn?: string;
  /** The DynamoDB table names. */
  tables: string[];
  tokenSecret: string;
};

/** The default place, under the repository root; `LOCAL_RUNTIME_STATE_FILE` moves it (tests do). */
export const defaultStateFile = (root: string, env: NodeJS.ProcessEnv = process.env) =>
  env.LOCAL_RUNTIME_STATE_FILE ?? path.join(root, ".sst", "local", "runtime.json");

/** Thrown rather than overwrite the file of another runtime that is still alive. */
export class StateFileTakenError extends Error {
  override readonly name = "StateFileTakenError";
  constructor(
    readonly owner: RuntimeState,
    file: string,
  ) {
    super(
      `Another npm start (pid ${owner.pid}, ${owner.endpoints.http}) owns ${file}; stop it first, or set LOCAL_RUNTIME_STATE_FILE to another file.`,
    );
  }
}

/**
 * Signal 0 checks that the process exists; EPERM means it exists but belongs to someone else. A
 * process killed but not yet reaped by its parent (a zombie) exists too, yet runs nothing: a runtime
 * killed with SIGKILL stays one until its parent (a shell, npm, a test) waits for it, and its restart
 * must not be refused meanwhile ("Another npm start is running", issue 24).
 */
export function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/**
 * Linux: the state in /proc/<pid>/stat, the field after the command name in parentheses (which may
 * itself hold ") "), is `Z` (zombie) or `X` (dead). Elsewhere (no /proc: macOS) signal 0 is all there is.
 */
export function isZombie(pid: number, procRoot = "/proc") {
  let stat: string;
  try {
    stat = readFileSync(path.join(procRoot, String(pid), "stat"), "utf8");
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(")") + 1).trimStart()[0];
  return state === "Z" || state === "X";
}

/** Writes atomically (rename), and never over a live runtime's file (a crashed one's is replaced). */
export function writeState(file: string, state: RuntimeState) {
  const owner = readState(file);
  if (owner && owner.pid !== state.pid && isAlive(owner.pid)) throw new StateFileTakenError(owner, file);
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${state.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Removes the file only if this process wrote it (another `npm start` may have taken over). */
export function removeState(file: string, pid = process.pid) {
  if (readState(file)?.pid === pid) rmSync(file, { force: true });
}

export function readState(file: string): RuntimeState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RuntimeState;
  } catch {
    return undefined;
  }
}
