/** Starts the runtime process (./runtime-process.ts under tsx) and talks to it. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Counters, RuntimeRequest, RuntimeResponse } from "./runtime-messages";
import type { RuntimeState } from "../../packages/local/src/runtime/state-file";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "runtime-process.ts");
const REQUEST_TIMEOUT_MS = 120_000;

/** Ours, or the seed's callback algorithm (bench/baseline) in the same runtime. */
export type Variant = "ours" | "seed";

export type BenchRuntime = {
  variant: Variant;
  /** The runtime process's id: its RSS includes its worker threads' (the memory metric samples it). */
  pid: number;
  state: RuntimeState;
  counters(): Promise<Counters>;
  /** Resolves when no workflow or event delivery is running or waiting to retry. */
  idle(): Promise<void>;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  cpuProfDir?: string;
  /** Run every invocation through the AWS meter (./aws-meter.ts); `counters()` then carries its figures. */
  meter?: boolean;
  /** Send the handlers' DynamoDB requests here (e.g. AWS's DynamoDB Local) instead of the runtime's dynalite. */
  dynamodbEndpoint?: string;
  /** Each saga step waits this long first (npm start's `--step-delay`). */
  stepDelayMs?: number;
  /**
   * Every function in its execution environments, as under `npm start` (no handler run in the runtime's own thread).
   */
  environments?: boolean;
};

export async function startBenchRuntime(
  variant: Variant = "ours",
  options: RuntimeOptions = {},
): Promise<BenchRuntime> {
  const profile = options.cpuProfDir
    ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfDir, "--cpu-prof-name", `${variant}-${Date.now()}.cpuprofile`]
    : [];
  const args = [
    ...(variant === "seed" ? ["--seed"] : []),
    ...(options.meter ? ["--meter"] : []),
    ...(options.dynamodbEndpoint ? ["--dynamodb-endpoint", options.dynamodbEndpoint] : []),
    ...(options.stepDelayMs ? ["--step-delay-ms", String(options.stepDelayMs)] : []),
    ...(options.environments ? ["--environments"] : []),
  ];
  const child: ChildProcess = fork(CHILD, args, {
    execArgv: ["--import", "tsx", ...profile],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, (result: Counters | null) => void>();
  let nextId = 1;
  const state = await new Promise<RuntimeState>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the runtime did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`the runtime exited with ${code}`)));
    child.on("message", (message: RuntimeResponse) => {
      if ("ready" in message) {
        clearTimeout(timer);
        return resolve(message.ready.state);
      }
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    });
  });
  const request = (op: RuntimeRequest["op"]) =>
    new Promise<Counters | null>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => reject(new Error(`runtime ${op} timed out`)), REQUEST_TIMEOUT_MS);
      pending.set(id, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      child.send({ id, op } satisfies RuntimeRequest);
    });
  return {
    variant,
    pid: child.pid!,
    state,
    counters: async () => (await request("counters"))!,
    idle: async () => void (await request("idle")),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await request("close").catch(() => child.kill("SIGKILL"));
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
