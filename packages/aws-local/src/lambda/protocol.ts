/**
 * What an execution environment (a worker thread) and the pool say to each other. Events and results
 * cross as JSON text, as they cross Lambda's runtime API: what does not survive JSON does not arrive.
 */

/** Given to the worker when it starts (`workerData`). */
export type EnvironmentData = {
  functionName: string;
  /** Absolute path of the handler's module. */
  modulePath: string;
  exportName: string;
  memoryMB: number;
  logStreamName: string;
};

export type InvokeMessage = { type: "invoke"; id: number; event: string; awsRequestId: string; deadline: number };

/** An error as Lambda reports it: `errorType` is the thrown error's name. */
export type SerializedError = { errorType: string; errorMessage: string; stack?: string };

/** An environment's V8 heap (`v8.getHeapStatistics()`): in use, and committed (what it holds of the RSS). */
export type HeapFigures = { usedBytes: number; totalBytes: number };

export type WorkerMessage =
  | { type: "ready"; initMs: number }
  | { type: "init-error"; error: SerializedError }
  | { type: "result"; id: number; payload: string | undefined; heap?: HeapFigures }
  | { type: "error"; id: number; error: SerializedError; heap?: HeapFigures }
  | { type: "console"; method: ConsoleMethod; text: string }
  /** After a collection between invocations (environment-worker.mjs): the heap as it is now. */
  | { type: "heap"; heap: HeapFigures };

export const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;
export type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof Error) return { errorType: thrown.name, errorMessage: thrown.message, stack: thrown.stack };
  return {
    errorType: "Error",
    errorMessage: typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown)),
  };
}
