import type { RunOptions } from "aws-local-stepfunctions";

/**
 * The local functions behind Task states, wrapped so that their failures reach `Retry`/`Catch` the
 * way a Lambda function's do on AWS, and so that stopping an execution does not wait for them.
 */
// biome-ignore lint/suspicious/noExplicitAny: each handler types the input its state passes; unchecked, as on AWS.
export type TaskHandler = (input: any) => Promise<unknown>;
type LocalHandler = NonNullable<NonNullable<RunOptions["overrides"]>["taskResourceLocalHandlers"]>[string];
/** A state's input or result: JSON (the library's `JSONValue`, which it does not export). */
type Json = Parameters<LocalHandler>[0];

/**
 * aws-local-stepfunctions hands `Catch` `{ Error: error.name, Cause: error.message }`. For a Lambda
 * task Step Functions sets Error to the errorType and Cause to the function's error payload as JSON,
 * which `Saga.reasonOf` parses. So the wrapper rethrows an Error with that name and that message.
 */
export function lambdaTaskFailure(thrown: unknown): Error {
  const errorType = thrown instanceof Error ? thrown.name : "Error";
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  const failure = new Error(JSON.stringify({ errorType, errorMessage, trace: [] }));
  failure.name = errorType;
  return failure;
}

/** Thrown into a stopped execution; the library neither retries nor catches an error that says so. */
export class ExecutionStoppedError extends Error {
  override readonly name = "States.Runtime";
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor() {
    super("The execution was stopped");
  }
}

/** Handlers for `taskResourceLocalHandlers`, bound to one execution's stop signal. */
export function localTaskHandlers(
  handlers: Record<string, TaskHandler>,
  stopped: AbortSignal,
): Record<string, LocalHandler> {
  return Object.fromEntries(Object.entries(handlers).map(([state, handler]) => [state, wrap(handler, stopped)]));
}

function wrap(handler: TaskHandler, stopped: AbortSignal): LocalHandler {
  return async (input) => {
    if (stopped.aborted) throw new ExecutionStoppedError();
    let onStop: (() => void) | undefined;
    const stop = new Promise<never>((_, reject) => {
      onStop = () => reject(new ExecutionStoppedError());
      stopped.addEventListener("abort", onStop, { once: true });
    });
    try {
      // A handler still running when the execution stops is left to finish on its own; the library
      // then clears its Task timeout and execution timer instead of keeping them until it ends.
      // The result goes on as the state's output, as a Lambda function's JSON reply does on AWS.
      return (await Promise.race([run(handler, input), stop])) as Json;
    } finally {
      if (onStop) stopped.removeEventListener("abort", onStop);
    }
  };
}

async function run(handler: TaskHandler, input: Json): Promise<unknown> {
  try {
    return await handler(input);
  } catch (error) {
    throw lambdaTaskFailure(error);
  }
}
