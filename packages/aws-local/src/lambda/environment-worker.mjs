// Inside one execution environment (a worker thread, with a module graph of its own): loads the
// handler's module once (the init phase, timed as the cold start), then runs one invocation at a time
// as the pool sends them, each with a Lambda context whose remaining time counts down to the
// function's timeout. Console output goes to the pool, which passes it on (as Lambda passes it to
// CloudWatch). Plain JavaScript so that a bundled handler loads with no TypeScript loader at all;
// only a `.ts` module (the pool's tests) gets tsx. Messages: see protocol.ts.
import module from "node:module";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";

const REGION = "us-east-1";
const ACCOUNT = "000000000000";
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"];

/** @type {{ functionName: string; modulePath: string; exportName: string; memoryMB: number; logStreamName: string }} */
const data = workerData;
const send = (message) => parentPort.postMessage(message);

for (const method of CONSOLE_METHODS) {
  console[method] = (...args) => send({ type: "console", method, text: format(...args) });
}

function serializeError(thrown) {
  if (thrown instanceof Error) return { errorType: thrown.name, errorMessage: thrown.message, stack: thrown.stack };
  return {
    errorType: "Error",
    errorMessage: typeof thrown === "string" ? thrown : (JSON.stringify(thrown) ?? String(thrown)),
  };
}

/** The `context` Lambda's Node.js runtime passes (see ../lambda-context.ts for its type). */
function lambdaContext(message) {
  return {
    functionName: data.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${data.functionName}`,
    memoryLimitInMB: String(data.memoryMB),
    awsRequestId: message.awsRequestId,
    logGroupName: `/aws/lambda/${data.functionName}`,
    logStreamName: data.logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

async function loadHandler() {
  module.enableCompileCache?.();
  if (/\.[cm]?tsx?$/.test(data.modulePath)) (await import("tsx/esm/api")).register();
  else process.setSourceMapsEnabled(true);
  const loaded = await import(pathToFileURL(data.modulePath).href);
  const handler = loaded[data.exportName];
  if (typeof handler !== "function")
    throw new Error(`${data.modulePath} does not export a function ${data.exportName}`);
  return handler;
}

/** This environment's V8 heap after an invocation (the pool sums them: the bench's memory figures). */
function heap() {
  const stats = getHeapStatistics();
  return { usedBytes: stats.used_heap_size, totalBytes: stats.total_heap_size };
}

async function invoke(handler, message) {
  try {
    const result = await handler(JSON.parse(message.event), lambdaContext(message));
    let payload;
    try {
      payload = result === undefined ? undefined : JSON.stringify(result);
    } catch (error) {
      // Lambda cannot return what it cannot serialize either.
      return send({
        type: "error",
        id: message.id,
        error: { errorType: "Runtime.MarshalError", errorMessage: String(error) },
        heap: heap(),
      });
    }
    send({ type: "result", id: message.id, payload, heap: heap() });
  } catch (error) {
    send({ type: "error", id: message.id, error: serializeError(error), heap: heap() });
  }
}

const started = performance.now();
try {
  const handler = await loadHandler();
  parentPort.on("message", (message) => void invoke(handler, message));
  send({ type: "ready", initMs: Math.round(performance.now() - started) });
} catch (error) {
  send({ type: "init-error", error: serializeError(error) });
}
