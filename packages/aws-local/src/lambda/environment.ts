/**
 * One execution environment seen from the pool: a worker thread with its own module graph (its own
 * SDK clients, caches and module state, never shared with another environment), which runs one
 * invocation at a time and is discarded after a timeout or a crash, as Lambda discards them.
 */
import { Worker } from "node:worker_threads";
import { randomUUID } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { newLogStreamName } from "../lambda-context";
import { EnvironmentExitError, FunctionError, FunctionTimeoutError, InitError } from "./errors";
import type { ConsoleMethod, EnvironmentData, HeapFigures, WorkerMessage } from "./protocol";

const WORKER_ENTRY = new URL("./environment-worker.mjs", import.meta.url);

// V8's flags are the process's: each environment then starts with a global `gc`, which its worker
// uses between invocations (environment-worker.mjs). Set once here, never toggled: a flag switched
// on and off around one thread's use raced with environments starting at once on other threads (1
// in 5 failed to start, review 2026-12-07). Contexts and threads started from now on get `gc` too;
// the one thing that differs from Lambda is a global no handler reads.
setFlagsFromString("--expose-gc");

/** A heap message's figures, if they are figures: a handler shares its thread's port and could send anything. */
const isHeapFigures = (heap: unknown): heap is HeapFigures =>
  typeof heap === "object" &&
  heap !== null &&
  [(heap as HeapFigures).usedBytes, (heap as HeapFigures).totalBytes].every((n) => Number.isFinite(n) && n >= 0);

/** What the host passes on to every environment; everything else comes from the function's configuration. */
const HOST_VARIABLES = ["PATH", "HOME", "TMPDIR", "LANG", "NODE_ENV"];

export type EnvironmentSpec = {
  functionName: string;
  modulePath: string;
  exportName: string;
  timeoutMs: number;
  memoryMB: number;
  environment: Record<string, string>;
  /** The V8 young generation's size, MB (V8's own sizing if not given). */
  youngGenerationMb?: number;
};

export type ConsoleLine = { functionName: string; environmentId: string; method: ConsoleMethod; text: string };

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export class ExecutionEnvironment {
  readonly id = randomUUID().slice(0, 8);
  /** Set once discarded: by a timeout, a crash, the idle timer, a retirement or `close()`. */
  gone = false;
  initMs = 0;
  /** Its V8 heap as of its last invocation's end or a collection since (none before its first invocation). */
  heap: HeapFigures = { usedBytes: 0, totalBytes: 0 };
  private readonly worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  private constructor(
    private readonly spec: EnvironmentSpec,
    onConsole: (line: ConsoleLine) => void,
  ) {
    const logStreamName = newLogStreamName();
    const data: EnvironmentData = {
      functionName: spec.functionName,
      modulePath: spec.modulePath,
      exportName: spec.exportName,
      memoryMB: spec.memoryMB,
      logStreamName,
    };
    const host = Object.fromEntries(
      HOST_VARIABLES.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]])),
    );
    this.worker = new Worker(WORKER_ENTRY, {
      workerData: data,
      // Only the function's own configuration, plus what the Lambda runtime itself sets.
      env: {
        ...host,
        AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMB),
        AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
        AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
        ...spec.environment,
      },
      // The host's flags (`--import tsx`, vitest's) are not the function's; the entry registers tsx itself.
      execArgv: [],
      // The function's memory setting bounds the heap, so a leak fails here as it would on Lambda. The
      // young generation only sets how often short-lived objects are collected, not what fits.
      resourceLimits: {
        maxOldGenerationSizeMb: spec.memoryMB,
        ...(spec.youngGenerationMb ? { maxYoungGenerationSizeMb: spec.youngGenerationMb } : {}),
      },
      stdout: false,
      stderr: false,
    });
    this.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "console")
        onConsole({
          functionName: spec.functionName,
          environmentId: this.id,
          method: message.method,
          text: message.text,
        });
      else if (message.type === "heap") {
        if (isHeapFigures(message.heap)) this.heap = message.heap;
      } else if (message.type === "result" || message.type === "error") this.settle(message);
    });
    this.worker.on("error", (error) =>
      this.fail(new EnvironmentExitError(spec.functionName, `${error.name}: ${error.message}`)),
    );
    this.worker.on("exit", (code) => this.fail(new EnvironmentExitError(spec.functionName, `exit code ${code}`)));
  }

  /** Starts an environment and loads the handler's module (the cold start); rejects with InitError. */
  static start(spec: EnvironmentSpec, onConsole: (line: ConsoleLine) => void): Promise<ExecutionEnvironment> {
    const environment = new ExecutionEnvironment(spec, onConsole);
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === "ready") {
          cleanup();
          environment.initMs = message.initMs;
          // An idle environment must not keep the host process alive; a busy one does (see invoke).
          environment.worker.unref();
          resolve(environment);
        } else if (message.type === "init-error") {
          cleanup();
          environment.discard();
          reject(new InitError(spec.functionName, message.error));
        }
      };
      const onExit = (code: number) => {
        cleanup();
        reject(
          new InitError(spec.functionName, {
            errorType: "Runtime.ExitError",
            errorMessage: `exit code ${code} during init`,
          }),
        );
      };
      const onError = (error: Error) => {
        cleanup();
        environment.discard();
        reject(new InitError(spec.functionName, { errorType: error.name, errorMessage: error.message }));
      };
      const cleanup = () => {
        environment.worker.off("message", onMessage).off("exit", onExit).off("error", onError);
      };
      environment.worker.on("message", onMessage).on("exit", onExit).on("error", onError);
    });
  }

  /**
   * Runs one invocation. Past the function's timeout it fails with Sandbox.Timedout and the environment is discarded.
   */
  invoke(event: unknown, awsRequestId: string): Promise<unknown> {
    if (this.gone) return Promise.reject(new EnvironmentExitError(this.spec.functionName, "discarded"));
    const id = this.nextId++;
    const deadline = Date.now() + this.spec.timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new FunctionTimeoutError(this.spec.functionName, this.spec.timeoutMs));
        // Lambda stops the runtime of a timed-out invocation: nothing of it may run on into the next one.
        this.discard();
      }, this.spec.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.ref();
      this.worker.postMessage({ type: "invoke", id, event: JSON.stringify(event ?? null), awsRequestId, deadline });
    });
  }

  /** Terminates the worker; an invocation still running fails with Runtime.ExitError. */
  discard(): Promise<unknown> {
    const terminated = this.worker.terminate();
    this.fail(new EnvironmentExitError(this.spec.functionName, "discarded"));
    return terminated;
  }

  private settle(message: Extract<WorkerMessage, { type: "result" | "error" }>) {
    const pending = this.pending.get(message.id);
    if (isHeapFigures(message.heap)) this.heap = message.heap;
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (this.pending.size === 0) this.worker.unref();
    if (message.type === "result")
      pending.resolve(message.payload === undefined ? undefined : JSON.parse(message.payload));
    else pending.reject(new FunctionError(message.error));
  }

  private fail(error: Error) {
    this.gone = true;
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
  }
}
