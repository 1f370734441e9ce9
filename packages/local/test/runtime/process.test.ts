/**
 * `npm start` as a process: ready banner, a clean exit 0 on SIGINT/SIGTERM that runs `$disconnect`
 * for open sockets, and a one-line error when a port is taken.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { CallbackToken } from "@awsomepets/core/index";
import { callbackUrl, newOrderId, openSocket, ROOT } from "./support";

// As `npm start` runs it: one Node process (tsx as an import hook), so signals reach it directly.
const NODE = path.join(ROOT, "node_modules", ".bin", "node");
const SECRET = "process-test-secret-0123456789abcdefghij";

function startProcess(env: Record<string, string>) {
  const child = spawn(NODE, ["--import", "tsx", "packages/local/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOCAL_HTTP_PORT: "0",
      LOCAL_WS_PORT: "0",
      LOCAL_EVENTS_PORT: "0",
      LOCAL_DYNAMODB_PORT: "0",
      LOCAL_SFN_PORT: "0",
      LOCAL_CALLBACK_TOKEN_SECRET: SECRET,
      LOCAL_RUNTIME_STATE_FILE: path.join(mkdtempSync(path.join(tmpdir(), "runtime-")), "runtime.json"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const output = () => ({ stdout, stderr });
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stdout)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`No ${pattern} in:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return stdout.match(pattern)!;
  };
  return { child, exited, output, waitFor };
}

it.each(["SIGINT", "SIGTERM"] as const)("prints the banner, then on %s closes sockets with $disconnect and exits 0", async (signal) => {
  // Prepare
  const started = startProcess({});
  try {
    const [, websocket] = await started.waitFor(/WebSocket\s+(ws:\/\/\S+?)\?/);
    const orderId = newOrderId();
    const token = CallbackToken.sign({ orderId, secret: SECRET });
    const client = await openSocket(callbackUrl(websocket!, orderId, token));
    // Act
    started.child.kill(signal);
    const code = await started.exited;
    // Assess
    expect(code).toBe(0);
    expect((await client.closed).code).toBeGreaterThan(0);
    expect(started.output().stdout).toMatch(/\$disconnect → OrderWSDisconnectFunction/);
    expect(started.output().stdout).toMatch(/stopped/);
  } finally {
    started.child.kill("SIGKILL");
  }
}, 60_000);

it("exits 1 with one line naming a port that is taken", async () => {
  // Prepare
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const port = (blocker.address() as AddressInfo).port;
  try {
    // Act
    const started = startProcess({ LOCAL_EVENTS_PORT: String(port) });
    const code = await started.exited;
    // Assess
    expect(code).toBe(1);
    expect(started.output().stderr.trim()).toBe(`npm start: Port ${port} (EventBridge endpoint) is already in use; set LOCAL_EVENTS_PORT to another port.`);
  } finally {
    blocker.close();
  }
}, 60_000);
