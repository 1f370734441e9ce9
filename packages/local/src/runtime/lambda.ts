/**
 * The app's functions as Lambda runs them (aws-local's function pool): each invocation in an execution
 * environment of its own function — a worker thread with its own module graph, reused while warm,
 * discarded when idle or timed out — with the timeout and memory core declares for it
 * (`Topology.FUNCTION_RUNTIME`, which the stacks deploy), its own environment variables, and its
 * console output in the runtime's log. Module state therefore lives and dies with one environment,
 * as on Lambda: it can never pass for state shared between invocations. The handler modules are
 * bundled first (aws-local's bundle.ts: the app's TypeScript only, installed packages imported where
 * they are), so an environment loads plain JavaScript.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import * as Topology from "@awsomepets/core/platform/topology";
import { bundleHandlers } from "@awsomepets/aws-local/lambda/bundle";
import { createFunctionPool, type FunctionConfiguration, type PoolLogRecord } from "@awsomepets/aws-local/lambda/pool";
import { DEFAULT_MAX_ENVIRONMENTS, DEFAULT_YOUNG_GENERATION_MB } from "./config";
import { handlerConsole } from "./handler-logs";
import type { Log } from "./log";
import { isAlive } from "./state-file";

export { FunctionTimeoutError } from "@awsomepets/aws-local/lambda/errors";

/** `packages/functions/src/websocket/connect.handler` → the module file and its export. */
export function resolveHandler(root: string, spec: string) {
  const dot = spec.lastIndexOf(".");
  return { file: path.join(root, `${spec.slice(0, dot)}.ts`), exportName: spec.slice(dot + 1) };
}

/**
 * Environments per function at most. Two cores: more only contend for them. An invocation beyond
 * waits for one to come free (Lambda would answer a synchronous one 429; see aws-local's pool.ts).
 */
export const LOCAL_MAX_ENVIRONMENTS_PER_FUNCTION = 4;

type RunnerOptions = {
  root: string;
  log: Log;
  /** Each function's environment variables, read at each cold start. */
  environment: (name: Topology.FunctionName) => Record<string, string>;
  /** Replaces every function's own timeout (the chaos run at full size loads 2 cores past them). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  maxEnvironmentsPerFunction?: number;
  /** Environments of all functions together (`LOCAL_MAX_ENVIRONMENTS`, config.ts). */
  maxEnvironments?: number;
  /** Each environment's V8 young generation, MB (`LOCAL_YOUNG_GENERATION_MB`, config.ts). */
  youngGenerationMb?: number;
};

/** Each function's module, timeout, memory and reserved concurrency, from core's topology. */
export function functionConfigurations(options: Pick<RunnerOptions, "root" | "environment" | "timeoutMs">) {
  const functions: Record<string, FunctionConfiguration> = {};
  for (const name of Object.keys(Topology.FUNCTIONS) as Topology.FunctionName[]) {
    const { file, exportName } = resolveHandler(options.root, Topology.FUNCTIONS[name]);
    const runtime: { timeoutSeconds: number; memoryMB: number; reservedConcurrency?: number } =
      Topology.FUNCTION_RUNTIME[name];
    functions[name] = {
      modulePath: file,
      exportName,
      timeoutMs: options.timeoutMs ?? runtime.timeoutSeconds * 1000,
      memoryMB: runtime.memoryMB,
      maxEnvironments: runtime.reservedConcurrency,
      environment: () => options.environment(name),
    };
  }
  return functions;
}

/** What a rebuild changed: the functions whose bundle differs, and every source file now bundled. */
export type RebuildResult = { changed: Topology.FunctionName[]; inputs: string[] };

export function createFunctionRunner(options: RunnerOptions) {
  const functions = functionConfigurations(options);
  const sources = Object.fromEntries(Object.entries(functions).map(([name, fn]) => [name, fn.modulePath]));
  // In the repository (ignored by git), so that a debugger's default source-map search finds them.
  const bundlesParent = path.join(options.root, ".sst", "local");
  mkdirSync(bundlesParent, { recursive: true });
  removeBundlesOfDeadProcesses(bundlesParent);
  const bundles = mkdtempSync(path.join(bundlesParent, `functions-${process.pid}-`));
  // Each build goes to a directory of its own, so an environment still starting on the previous
  // bundles never reads a half-written file; the one before the previous is deleted.
  let build = 0;
  const hashes: Record<string, string> = {};
  const pool = createFunctionPool({
    functions,
    idleTimeoutMs: options.idleTimeoutMs,
    maxEnvironmentsPerFunction: options.maxEnvironmentsPerFunction ?? LOCAL_MAX_ENVIRONMENTS_PER_FUNCTION,
    maxEnvironments: options.maxEnvironments ?? DEFAULT_MAX_ENVIRONMENTS,
    youngGenerationMb: options.youngGenerationMb ?? DEFAULT_YOUNG_GENERATION_MB,
    // Two cores: one cold start at a time leaves the other to whatever else starts.
    warmParallelism: 1,
    log: poolLog(options.log),
    onConsole: handlerConsole(options.log),
  });

  /**
   * Bundles every handler module; a module that does not compile, imports what is not installed or
   * lacks its handler's export throws, and leaves the bundles in use as they were. Otherwise the
   * functions whose bundle changed load the new one at their next cold start.
   */
  async function bundleAll(): Promise<RebuildResult> {
    const outdir = path.join(bundles, String(++build));
    let bundled: Awaited<ReturnType<typeof bundleHandlers>>;
    try {
      bundled = await bundleHandlers(Object.values(sources), outdir);
      for (const [name, fn] of Object.entries(functions)) {
        const bundle = bundled[sources[name]!]!;
        if (!bundle.exports.includes(fn.exportName))
          throw new Error(`${name}: ${sources[name]} does not export ${fn.exportName}`);
      }
    } catch (error) {
      rmSync(outdir, { recursive: true, force: true });
      throw error;
    }
    const changed: Topology.FunctionName[] = [];
    const inputs = new Set<string>();
    for (const [name, fn] of Object.entries(functions)) {
      const bundle = bundled[sources[name]!]!;
      for (const input of bundle.inputs) inputs.add(input);
      if (hashes[name] === bundle.hash) continue;
      hashes[name] = bundle.hash;
      fn.modulePath = bundle.file;
      changed.push(name as Topology.FunctionName);
    }
    if (build > 2) rmSync(path.join(bundles, String(build - 2)), { recursive: true, force: true });
    return { changed, inputs: [...inputs] };
  }

  return {
    /**
     * Bundles the handlers, so that a module that does not compile, or lacks its handler's export,
     * fails the start rather than the first request; environments started from now on load the
     * bundles. Then one environment per function is started in the order of `Topology.FUNCTIONS`
     * (routes first), awaited or in the background: then a first request finds it warm or starting,
     * and a module that throws while loading shows as an init failure in the log, as on Lambda.
     * Resolves with every source file bundled.
     */
    preload: async (warm: "before-ready" | "background") => {
      const { inputs } = await bundleAll();
      if (warm === "before-ready") await pool.warm();
      else pool.warm().catch(() => {});
      return inputs;
    },
    /**
     * Bundles the handlers again (see bundleAll; a failure throws and changes nothing). The functions
     * whose bundle changed are retired: idle environments now, busy ones once their invocation has
     * finished on the old code; one new environment of each is warm when this resolves.
     */
    rebuild: async (): Promise<RebuildResult> => {
      const result = await bundleAll();
      if (result.changed.length > 0) {
        pool.retireAll(result.changed);
        // A module that throws while loading is logged as an init failure, as at start.
        await pool.warm(result.changed).catch(() => {});
      }
      return result;
    },
    invoke: (name: string, event: unknown) => pool.invoke(name, event),
    /**
     * Idle environments of the functions named (all by default) go now, busy ones after their
     * invocation; one new environment of each is warmed before this resolves, with the code and
     * configuration of now.
     */
    retire: async (names: Topology.FunctionName[] = Object.keys(functions) as Topology.FunctionName[]) => {
      pool.retireAll(names);
      await pool.warm(names);
    },
    stats: () => pool.stats(),
    close: async () => {
      await pool.close();
      rmSync(bundles, { recursive: true, force: true });
    },
  };
}
export type FunctionRunner = ReturnType<typeof createFunctionRunner>;

/** A runtime killed (`kill -9`) leaves its bundles: the next one removes those whose process is gone. */
function removeBundlesOfDeadProcesses(parent: string) {
  for (const entry of readdirSync(parent)) {
    const pid = Number(/^functions-(\d+)-/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid)) rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

/** `{message: "lambda.cold-start", functionName}` → `lambda  OrderWSPendingFunction cold start initMs=…`. */
function poolLog(log: Log) {
  return ({ level: _level, message, functionName, ...fields }: PoolLogRecord) =>
    log({
      component: "lambda",
      message: `${functionName} ${message.replace(/^lambda\./, "").replace(/-/g, " ")}`,
      ...fields,
    });
}
