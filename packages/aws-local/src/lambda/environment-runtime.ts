/**
 * Inside one execution environment: loads the handler's module once (the init phase, timed as the
 * cold start), then runs one invocation at a time as the pool sends them, each with a Lambda context
 * whose remaining time counts down to the function's timeout. Console output goes to the pool, which
 * passes it to the caller's log (as Lambda passes it to CloudWatch).
 */
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import { buildLambdaContext } from "../lambda-context";
import { CONSOLE_METHODS, serializeError, type EnvironmentData, type InvokeMessage, type WorkerMessage } from "./protocol";

type Handler = (event: unknown, context: object) => unknown;

const data = workerData as EnvironmentData;
const port = parentPort!;
const send = (message: WorkerMessage) => port.postMessage(message);

for (const method of CONSOLE_METHODS) {
  console[method] = (...args: unknown[]) => send({ type: "console", method, text: format(...args) });
}

async function loadHandler(): Promise<Handler> {
  const module = await import(pathToFileURL(data.modulePath).href);
  const handler = module[data.exportName];
  if (typeof handler !== "function") throw new Error(`${data.modulePath} does not export a function ${data.exportName}`);
  return handler as Handler;
}

async function invoke(handler: Handler, message: InvokeMessage) {
  const context = buildLambdaContext(data.functionName, {
    deadline: message.deadline,
    memoryMB: data.memoryMB,
    awsRequestId: message.awsRequestId,
    logStreamName: data.logStreamName,
  });
  try {
    const result = await handler(JSON.parse(message.event), context);
    let payload: string | undefined;
    try {
      payload = result === undefined ? undefined : JSON.stringify(result);
    } catch (error) {
      // Lambda cannot return what it cannot serialize either.
      return send({ type: "error", id: message.id, error: { errorType: "Runtime.MarshalError", errorMessage: String(error) } });
    }
    send({ type: "result", id: message.id, payload });
  } catch (error) {
    send({ type: "error", id: message.id, error: serializeError(error) });
  }
}

const started = performance.now();
try {
  const handler = await loadHandler();
  port.on("message", (message: InvokeMessage) => void invoke(handler, message));
  send({ type: "ready", initMs: Math.round(performance.now() - started) });
} catch (error) {
  send({ type: "init-error", error: serializeError(error) });
}
