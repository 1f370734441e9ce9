/**
 * Runs the deployed handler modules in this process, as Lambda would: the module is loaded once
 * (its clients are created once, like a warm container) and each invocation gets a Lambda-like context.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Topology } from "@awsomepets/core/index";
import { buildLambdaContext } from "@awsomepets/aws-local/lambda-context";

type Handler = (event: unknown, context: object) => Promise<unknown>;

/** `packages/functions/src/websocket/connect.handler` → the module file and its export. */
export function resolveHandler(root: string, spec: string) {
  const dot = spec.lastIndexOf(".");
  return { file: path.join(root, `${spec.slice(0, dot)}.ts`), exportName: spec.slice(dot + 1) };
}

/** The functions' timeout in the stacks (SST's default); routes get API Gateway's 29 s instead. */
const DEFAULT_TIMEOUT_MS = 10_000;

export function createFunctionRunner(options: { root: string; timeoutMs?: number }) {
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
      return handler(event, context ?? buildLambdaContext(name, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
    },
  };
}
export type FunctionRunner = ReturnType<typeof createFunctionRunner>;
