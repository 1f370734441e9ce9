/**
 * Runs the deployed handler modules in this process, as Lambda would: the module is loaded once
 * (its clients are created once, like a warm container) and each invocation gets a Lambda-like context.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Topology } from "@awsomepets/core/index";

type Handler = (event: unknown, context: object) => Promise<unknown>;

/** `packages/functions/src/websocket/connect.handler` → the module file and its export. */
export function resolveHandler(root: string, spec: string) {
  const dot = spec.lastIndexOf(".");
  return { file: path.join(root, `${spec.slice(0, dot)}.ts`), exportName: spec.slice(dot + 1) };
}

export function lambdaContext(functionName: string, timeoutMs: number, region: string) {
  const deadline = Date.now() + timeoutMs;
  const awsRequestId = randomUUID();
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${awsRequestId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

export function createFunctionRunner(options: { root: string; region: string; timeoutMs?: number }) {
  const modules = new Map<string, Promise<Handler>>();
  const load = (name: Topology.FunctionName) => {
    let handler = modules.get(name);
    if (!handler) {
      const { file, exportName } = resolveHandler(options.root, Topology.FUNCTIONS[name]);
      handler = import(pathToFileURL(file).href).then((module) => {
        const fn = module[exportName];
        if (typeof fn !== "function") throw new Error(`${file} does not export ${exportName}`);
        return fn as Handler;
      });
      modules.set(name, handler);
    }
    return handler;
  };
  return {
    /** Loads every function up front so that a broken module fails `npm start`, not the first request. */
    preload: () => Promise.all(Object.keys(Topology.FUNCTIONS).map((name) => load(name as Topology.FunctionName))),
    invoke: async (name: string, event: unknown, context?: object) => {
      if (!(name in Topology.FUNCTIONS)) throw new Error(`Unknown function ${name}`);
      const handler = await load(name as Topology.FunctionName);
      return handler(event, context ?? lambdaContext(name, options.timeoutMs ?? 30_000, options.region));
    },
  };
}
export type FunctionRunner = ReturnType<typeof createFunctionRunner>;
