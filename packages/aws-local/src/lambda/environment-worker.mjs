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

/**
 * A full garbage collection between invocations. Lambda freezes an idle environment; here each one is
 * a worker thread, and a steady trickle of invocations kept V8 from collecting and shrinking it: in
 * the 10-minute memory bench the 12 environments' committed heaps grew 14.5 MB over the last 4
 * minutes, +3.7 with this (docs/decisions/local-environments-share-a-cap.md). An environment collects
 * once idle for IDLE_COLLECT_MS, or as soon as it is free once its heap has grown SLACK_COLLECT_BYTES
 * since its last collection (a busy one is never idle that long; that 10–30 ms delays the next
 * invocation). Only what is unreachable is freed: a leak still grows the heap in use and reaches the
 * function's memory limit as on Lambda. `gc` is a global from V8's --expose-gc, set by the pool's
 * thread before starting this one (environment.ts); a handler could see it, none calls it.
 */
const IDLE_COLLECT_MS = 1_000;
const SLACK_COLLECT_BYTES = 8 * 1048576;
const collectGarbage = typeof globalThis.gc === "function" ? globalThis.gc : undefined;
let collectTimer;
let heapAfterCollect = 0;

function collect() {
  collectTimer = undefined;
  collectGarbage?.();
  const figures = heap();
  heapAfterCollect = figures.totalBytes;
  send({ type: "heap", heap: figures });
}

/** After each invocation: collect now if the heap grew past the slack, else once idle long enough. */
function collectWhenFree(totalBytes) {
  if (!collectGarbage) return;
  clearTimeout(collectTimer);
  collectTimer = setTimeout(collect, totalBytes - heapAfterCollect > SLACK_COLLECT_BYTES ? 0 : IDLE_COLLECT_MS);
  collectTimer.unref(); // an idle environment's thread ends when the pool lets it go, collected or not
}

/** This environment's V8 heap after an invocation (the pool sums them: the bench's memory figures). */
function heap() {
  const stats = getHeapStatistics();
  return { usedBytes: stats.used_heap_size, totalBytes: stats.total_heap_size };
}

async function invoke(handler, message) {
  clearTimeout(collectTimer); // the pool runs one invocation at a time: no collection during one
  let reply;
  try {
    const result = await handler(JSON.parse(message.event), lambdaContext(message));
    try {
      reply = { type: "result", id: message.id, payload: result === undefined ? undefined : JSON.stringify(result) };
    } catch (error) {
      // Lambda cannot return what it cannot serialize either.
      reply = {
        type: "error",
        id: message.id,
        error: { errorType: "Runtime.MarshalError", errorMessage: String(error) },
      };
    }
  } catch (error) {
    reply = { type: "error", id: message.id, error: serializeError(error) };
  }
  const figures = heap();
  send({ ...reply, heap: figures });
  collectWhenFree(figures.totalBytes);
}

const started = performance.now();
try {
  const handler = await loadHandler();
  heapAfterCollect = heap().totalBytes; // the slack counts from the loaded module graph
  parentPort.on("message", (message) => void invoke(handler, message));
  send({ type: "ready", initMs: Math.round(performance.now() - started) });
} catch (error) {
  send({ type: "init-error", error: serializeError(error) });
}
