/**
 * Finds the `npm start` runtime through its state file (.sst/local/runtime.json, or
 * LOCAL_RUNTIME_STATE_FILE). A file left by a runtime that was killed is treated as no runtime.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defaultStateFile, isAlive as isProcessAlive, readState, type RuntimeState } from "../runtime/state-file";
import { CommandError } from "./cli-errors";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export const NO_RUNTIME_MESSAGE = "No local runtime is running (start it with `npm start`)";

export const localStateFile = (env: NodeJS.ProcessEnv = process.env) => defaultStateFile(REPO_ROOT, env);

export { isAlive as isProcessAlive } from "../runtime/state-file";

export function readRunningRuntime(
  file = localStateFile(),
  alive: (pid: number) => boolean = isProcessAlive,
): RuntimeState {
  const state = readState(file);
  if (!state?.endpoints || !state.eventBusName || !state.tokenSecret) throw new CommandError(NO_RUNTIME_MESSAGE);
  if (typeof state.pid === "number" && !alive(state.pid)) throw new CommandError(NO_RUNTIME_MESSAGE);
  return state;
}
