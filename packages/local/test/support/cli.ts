/**
 * End-to-end support for the local commands: the real local runtime started in this test process
 * (ports 0, a temporary state file), the commands spawned as processes through tsx, and a
 * WebSocket client that collects frames.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { ROOT, startTestRuntime } from "@test-support/local-runtime";

export { ROOT };
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
export const TOKEN_SECRET = "cli-end-to-end-test-secret-0123456789abc";

export const newOrderId = () => randomUUID();

export async function startRuntimeWithStateFile(
  options: Omit<NonNullable<Parameters<typeof startTestRuntime>[1]>, "stateFile"> = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), "cli-e2e-"));
  const stateFile = path.join(dir, "runtime.json");
  const runtime = await startTestRuntime({ tokenSecret: TOKEN_SECRET }, { ...options, stateFile });
  return {
    ...runtime,
    dir,
    stateFile,
    close: async () => {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The environment for a spawned command: this process's, without what the runtime set in it for
 * the handlers (endpoint overrides, dummy credentials), plus the given variables.
 */
export function cliEnv(extra: Record<string, string | undefined>) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_ENDPOINT_URL")) delete env[key];
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export type CliProcess = {
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  waitFor(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(): void;
};

/** Starts `packages/local/src/cli/<name>.ts` (`ops/pending` for the operator commands); the caller must `kill()` it (a no-op once it exited). */
export function startCli(name: string, args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(TSX, [`packages/local/src/cli/${name}.ts`, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    exited,
    output: () => ({ stdout, stderr }),
    waitFor: async (stream, pattern, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(stream === "stdout" ? stdout : stderr)) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`No ${pattern} in ${stream}:\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Runs a command to its end (killed after `timeoutMs`). */
export async function runCli(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000) {
  const cli = startCli(name, args, env);
  const timer = setTimeout(cli.kill, timeoutMs);
  try {
    const code = await cli.exited;
    return { code, ...cli.output() };
  } finally {
    clearTimeout(timer);
    cli.kill();
  }
}

/** A socket that collects its frames; `next(n)` waits until n frames have arrived. */
export async function openSocket(url: string) {
  const socket = new WebSocket(url);
  const frames: any[] = [];
  socket.on("message", (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
    socket.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    frames,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    next: async (count: number, timeoutMs = 8000) => {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < count) {
        if (Date.now() > deadline)
          throw new Error(`Timed out waiting for ${count} frames; got ${JSON.stringify(frames)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return frames.slice(0, count);
    },
    close: async () => {
      socket.close();
      await closed;
    },
  };
}
