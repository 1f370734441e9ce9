// Inside one execution environment (a worker thread, with a module graph of its own): loads the
// handler's module once (the init phase, timed as the cold start), then runs one invocation at a time
// as the pool sends them, each with a Lambda context whose remaining time counts down to the
// function's timeout. Console output goes to the pool, which passes it on (as Lambda passes it to
// CloudWatch). Plain JavaScript so that a bundled handler loads with no TypeScript loader at all;
// only a `.ts` module (the pool's tests) gets tsx. Messages: see protocol.ts.
import module from "node:module";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
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
 * A full garbage collection of this environment's heap, between invocations. Lambda freezes an idle
 * environment and no one's machine pays for its garbage; here each one is a worker thread whose heap
 * keeps garbage until V8's next major collection, and a steady trickle of invocations keeps putting
 * that off: in the memory bench (5 orders/s, 2026-12-07) the 12 environments' heaps grew 14.5 MB in
 * the last 4 minutes while what they used grew 4.1. So an environment collects once it has been idle
 * for IDLE_COLLECT_MS, or as soon as it is free when its heap has grown SLACK_COLLECT_BYTES since
 * its last collection. This frees only garbage: a leak still shows in the heap in use, and still
 * reaches the function's memory limit as it would on Lambda. `gc` is taken the way Jest's leak
 * detection takes it: V8's flag set for one new context and unset at once, not on the handler's
 * globals.
 */
const IDLE_COLLECT_MS = 1_000;
const SLACK_COLLECT_BYTES = 8 * 1048576;
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc");
setFlagsFromString("--no-expose-gc");
let collectTimer;
let heapAfterCollect = 0;
let running = 0;

function collect() {
  collectTimer = undefined;
  if (running > 0) return;
  collectGarbage();
  const figures = heap();
  heapAfterCollect = figures.totalBytes;
  send({ type: "heap", heap: figures });
}

/** After each invocation: collect now if the heap grew past the slack, else once idle long enough. */
function collectWhenFree(totalBytes) {
  clearTimeout(collectTimer);
  if (running > 0) return;
  collectTimer = setTimeout(collect, totalBytes - heapAfterCollect > SLACK_COLLECT_BYTES ? 0 : IDLE_COLLECT_MS);
  collectTimer.unref(); // an idle environment's thread ends when the pool lets it go, collected or not
}

/** This environment's V8 heap after an invocation (the pool sums them: the bench's memory figures). */
function heap() {
  const stats = getHeapStatistics();
  return { usedBytes: stats.used_heap_size, totalBytes: stats.total_heap_size };
}

async function invoke(handler, message) {
  running++;
  clearTimeout(collectTimer);
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
  running--;
  const figures = heap();
  send({ ...reply, heap: figures });
  collectWhenFree(figures.totalBytes);
}

const started = performance.now();
try {
  const handler = await loadHandler();
  parentPort.on("message", (message) => void invoke(handler, message));
  send({ type: "ready", initMs: Math.round(performance.now() - started) });
} catch (error) {
  send({ type: "init-error", error: serializeError(error) });
}
