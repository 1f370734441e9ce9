/** `npm start` as a child process, started through npm (as a developer does) or straight with node. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { readState, type RuntimeState } from "../../src/runtime/state-file";
import { ROOT } from "@test-support/local-runtime";

const NODE = path.join(ROOT, "node_modules", ".bin", "node");
export const SECRET = "process-test-secret-0123456789abcdefghij";
export const FREE_PORTS = {
  LOCAL_HTTP_PORT: "0",
  LOCAL_WS_PORT: "0",
  LOCAL_EVENTS_PORT: "0",
  LOCAL_DYNAMODB_PORT: "0",
  LOCAL_SFN_PORT: "0",
};

export type Via = "npm" | "node";

export function startProcess(options: { via?: Via; args?: string[]; env?: Record<string, string | undefined> } = {}) {
  const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "runtime-")), "runtime.json");
  const args = options.args ?? [];
  const [command, argv] =
    options.via === "npm"
      ? ["npm", ["start", "--silent", "--", ...args]]
      : [NODE, ["--import", "tsx", "packages/local/src/main.ts", ...args]];
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...FREE_PORTS,
      LOCAL_CALLBACK_TOKEN_SECRET: SECRET,
      LOCAL_RUNTIME_STATE_FILE: stateFile,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`No ${pattern} in:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return stdout.match(pattern)!;
  };
  /** The runtime's own state once it is ready: its pid (node's, not npm's) and endpoints. */
  const ready = async (): Promise<RuntimeState> => {
    await waitFor(/ ready /);
    return readState(stateFile)!;
  };
  return {
    child,
    exited,
    stateFile,
    output: () => ({ stdout, stderr }),
    waitFor,
    ready,
    kill: () => child.kill("SIGKILL"),
  };
}

export function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the process is gone (it may take a moment after its parent's exit). */
export async function gone(pid: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !isAlive(pid);
}

export function canListen(port: number) {
  return new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Each port once (the WebSocket URL and @connections share one). */
export const portsOf = (state: RuntimeState) => [
  ...new Set(Object.values(state.endpoints).map((url) => Number(new URL(url).port))),
];
