/**
 * `.sst/local/runtime.json`: what a running `npm start` tells the other local commands
 * (`publish-status --local`, `callback-url`): its endpoints, bus and token secret. Removed on exit.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export type RuntimeState = {
  pid: number;
  stage: string;
  region: string;
  endpoints: { http: string; websocket: string; management: string; events: string; dynamodb: string; stepfunctions: string };
  eventBusName: string;
  tokenSecret: string;
};

/** The default place, under the repository root; `LOCAL_RUNTIME_STATE_FILE` moves it (tests do). */
export const defaultStateFile = (root: string, env: NodeJS.ProcessEnv = process.env) =>
  env.LOCAL_RUNTIME_STATE_FILE ?? path.join(root, ".sst", "local", "runtime.json");

export function writeState(file: string, state: RuntimeState) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
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
