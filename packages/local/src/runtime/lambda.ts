/**
 * Runs the deployed handler modules in this process, as Lambda would: the module is loaded once
 * (its clients are created once, like a warm container) and each invocation gets a Lambda-like context.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Topology } from "@awsomepets/core/index";
import { buildLambdaContext, type LambdaContext } from "@awsomepets/aws-local/lambda-context";
import type { Log } from "./log";

type Handler = (event: unknown, context: object) => Promise<unknown>;

/** `packages/functions/src/websocket/connect.handler` → the module file and its export. */
export function resolveHandler(root: string, spec: string) {
  const dot = spec.lastIndexOf(".");
  return { file: path.join(root, `${spec.slice(0, dot)}.ts`), exportName: spec.slice(dot + 1) };
}

/** The functions' timeout in the stacks (SST's default); routes get API Gateway's 29 s instead. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** What Lambda reports when a function runs past its timeout (the invocation fails; the work is abandoned). */
export class FunctionTimeoutError extends Error {
  override readonly name = "Sandbox.Timedout";
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** The invocation's result, or FunctionTimeoutError once `timeoutMs` has passed (the handler is abandoned, not stopped). */
export async function withTimeout<T>(invocation: Promise<T>, timeoutMs: number, functionName: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new FunctionTimeoutError(functionName, timeoutMs));
    }, timeoutMs);
  });
  try {
    return await Promise.race([invocation, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export function createFunctionRunner(options: { root: string; timeoutMs?: number; log?: Log }) {
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
    /** Runs the handler; past its timeout (the context's remaining time) the invocation fails, as on Lambda. */
    invoke: async (name: string, event: unknown, context?: LambdaContext) => {
      if (!Object.hasOwn(Topology.FUNCTIONS, name)) throw new Error(`Unknown function ${name}`);
      const handler = await load(name as Topology.FunctionName);
      const lambdaContext = context ?? buildLambdaContext(name, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const timeoutMs = lambdaContext.getRemainingTimeInMillis();
      return withTimeout(handler(event, lambdaContext), timeoutMs, name, () =>
        options.log?.({ component: "lambda", message: `${name} timed out`, timeoutMs }),
      );
    },
  };
}
export type FunctionRunner = ReturnType<typeof createFunctionRunner>;
