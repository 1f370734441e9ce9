/**
 * The child process of the benchmark: the local runtime (`npm start`'s, on free ports), answering the
 * parent over IPC, so that the benchmark's clients do not share its event loop, as browsers would not.
 * Flags: `--seed` (the seed's callback algorithm instead of ours), `--meter` (every invocation through
 * the AWS meter; `--dynamodb-endpoint <url>`, `--step-delay-ms <n>`), `--environments` (every function
 * in its execution environments, as under `npm start`). What each does: docs/bench-methods.md, "The runtime process".
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  type CreateTableCommandInput,
} from "@aws-sdk/client-dynamodb";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { readConfig } from "../../packages/local/src/runtime/config";
import { resolveHandler } from "../../packages/local/src/runtime/lambda";
import { names, startLocalRuntime } from "../../packages/local/src/runtime/start-runtime";
import { createAwsMeter } from "./aws-meter";
import { bounded } from "./wait";
import { BENCH_STAGE, BENCH_TOKEN_SECRET } from "./bench-secret";
import type { RuntimeRequest, RuntimeResponse } from "./runtime-messages";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const send = (message: RuntimeResponse) => process.send?.(message);

const STAGE = BENCH_STAGE;
const SEED_TABLE = `${STAGE}-SeedClientCallbackTbl`;
const UNTHROTTLED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };

/**
 * The seed's handlers, imported at first call: their module creates its client once the runtime has set the endpoints.
 */
function seedHandlers(): Handlers {
  const baseline = () => import("../baseline/seed-callbacks");
  return {
    OrderWSConnectFunction: async (event: unknown) => (await baseline()).connect(event),
    OrderWSDisconnectFunction: async (event: unknown) => (await baseline()).disconnect(event),
    OrderWSPendingFunction: async (event: unknown) => (await baseline()).sync(event),
    OrderWSCallbackFunction: async (event: unknown) => (await baseline()).callback(event),
  };
}

type Handler = (event: unknown, context?: object) => Promise<unknown>;
type Handlers = Partial<Record<Topology.FunctionName, Handler>>;

/**
 * Our function's module loaded in this process, once, as the runtime loaded it before it had execution
 * environments: the meter patches this process's SDK clients, so it sees only what runs here (not
 * what runs in the runtime's worker threads). Its environment is this process's (see overrideHandlers).
 */
function inProcessHandler(name: Topology.FunctionName): Handler {
  const { file, exportName } = resolveHandler(root, Topology.FUNCTIONS[name]);
  let loaded: Promise<Handler> | undefined;
  return async (event, context) => {
    loaded ??= import(pathToFileURL(file).href).then((module) => module[exportName] as Handler);
    return (await loaded)(event, context);
  };
}

/**
 * Ours for the functions the seed replaces, loaded in this process like the seed's: both variants of a
 * figure then run in the same harness (worker-thread environments cost a thread hop and their own
 * CPU time on this machine, which the seed's in-process handlers would not pay).
 */
function ourHandlersInProcess(): Handlers {
  return Object.fromEntries(
    (Object.keys(seedHandlers()) as Topology.FunctionName[]).map((name) => [name, inProcessHandler(name)]),
  );
}

/** Every function through the meter: the seed's handlers where given, else the function's module, in this process. */
function meteredHandlers(meter: ReturnType<typeof createAwsMeter>, replaced: Handlers | undefined): Handlers {
  return Object.fromEntries(
    (Object.keys(Topology.FUNCTIONS) as Topology.FunctionName[]).map((name) => {
      const handler: Handler = replaced?.[name] ?? inProcessHandler(name);
      return [name, (event: unknown, context?: object) => meter.invocation(name, () => handler(event, context))];
    }),
  );
}

/**
 * At most as many status callbacks at once in this process as their posts fit one management
 * client's socket pool. In this process a function's module is loaded once, so every invocation
 * shares its one `@connections` client: `FANOUT_CONCURRENCY` sockets (64), whose connection and
 * request timeouts (2 s, 5 s) count the wait for a socket. Lambda runs one invocation per
 * environment, each with its own client; unbounded here, the fan-out's 56 callbacks queued 1,000
 * posts behind 64 sockets, which under load (10-17) timed out as retryable, and each retried event
 * posted to its order's every socket again: a collapse, no end. The seed's run under the same bound.
 */
const CALLBACKS_AT_ONCE = Math.max(
  1,
  Math.floor(Tunables.DEFAULT_FANOUT_CONCURRENCY / Tunables.TUNABLES.maxConnectionsPerOrder.max),
);

function boundCallbacks(handlers: Handlers): Handlers {
  const callback = handlers.OrderWSCallbackFunction;
  return callback ? { ...handlers, OrderWSCallbackFunction: bounded(CALLBACKS_AT_ONCE, callback) } : handlers;
}

async function createTables(endpoint: string, inputs: CreateTableCommandInput[]) {
  const admin = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    for (const input of inputs) {
      try {
        await admin.send(new CreateTableCommand(input));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error; // one DynamoDB Local serves every runtime of a run
      }
    }
  } finally {
    admin.destroy();
  }
}

type FunctionStats = {
  functions: { stats(): Record<string, { environments: number; heapUsedMb: number; heapTotalMb: number }> };
};
/** Execution environments (worker threads) of every function, starting, idle or busy. */
const environmentCount = (runtime: FunctionStats) =>
  Object.values(runtime.functions.stats()).reduce((sum, fn) => sum + fn.environments, 0);
/** What their V8 heaps hold (`heapTotalMb`) or use (`heapUsedMb`), MB, all together. */
const environmentsHeapMb = (runtime: FunctionStats, part: "heapUsedMb" | "heapTotalMb" = "heapTotalMb") =>
  Math.round(Object.values(runtime.functions.stats()).reduce((sum, fn) => sum + fn[part], 0));

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_DEBUG ? "WARN" : "SILENT";
  // The fan-out and request figures open as many sockets per order as a deploy may allow: above the
  // default cap, which they are not measuring.
  process.env[Topology.ENV.maxConnectionsPerOrder] = String(Tunables.TUNABLES.maxConnectionsPerOrder.max);
  const { values: flags } = parseArgs({
    options: {
      seed: { type: "boolean" },
      meter: { type: "boolean" },
      environments: { type: "boolean" },
      "dynamodb-endpoint": { type: "string" },
      "step-delay-ms": { type: "string" },
    },
  });
  const seed = flags.seed ?? false;
  const dynamodbEndpoint = flags["dynamodb-endpoint"];
  const meter = flags.meter
    ? createAwsMeter({ expectedDynamoDbEndpoint: () => process.env.AWS_ENDPOINT_URL_DYNAMODB })
    : undefined;
  meter?.install();
  let retries = 0;
  let coldStarts = 0;
  // The memory metric measures what npm start holds: its settings, read as it reads them (a bad
  // variable fails the run with npm start's message).
  const asNpmStart = flags.environments ? readConfig([], process.env) : undefined;
  const runtime = await startLocalRuntime({
    root,
    log: (record) => {
      if (record.component === "events" && record.message === "retry") retries++;
      if (record.component === "lambda" && String(record.message).endsWith(" cold start")) coldStarts++;
    },
    config: {
      stage: STAGE,
      region: "us-east-1",
      ports: { http: 0, websocket: 0, events: 0, stepfunctions: 0, dynamodb: 0 },
      json: false,
      tokenSecret: BENCH_TOKEN_SECRET,
      tokenSecretGenerated: false,
      stepDelayMs: flags["step-delay-ms"] ? Number(flags["step-delay-ms"]) : undefined,
      // Standard: the cost figures read each execution's history (bench/metrics/order-path-cost.ts),
      // and price both types from it; the functions' work is the same for either.
      workflowType: asNpmStart?.workflowType ?? "STANDARD",
      // The figures measure the callbacks at a load far above a stage's throttles, which are not what
      // they measure; the memory metric's 5 orders a second are well within them (22 requests, 20
      // connects a second), so it keeps them, as npm start does.
      throttles: asNpmStart?.throttles ?? {
        http: UNTHROTTLED,
        webSocket: { default: UNTHROTTLED, routes: { $connect: UNTHROTTLED } },
      },
      maxEnvironments: asNpmStart?.maxEnvironments,
      youngGenerationMb: asNpmStart?.youngGenerationMb,
      // Its clients are all one address, so the edge's per-address rules are raised to WAF's largest
      // limit (the memory metric too: npm start's, per address, would refuse one address's 5 orders a second).
      edgeRules: Tunables.edgeRulesOf({
        edgeOrdersPerAddress: Topology.WAF_MAX_RATE_LIMIT,
        edgeConnectsPerAddress: Topology.WAF_MAX_RATE_LIMIT,
        edgeRequestsPerAddress: Topology.WAF_MAX_RATE_LIMIT,
      }),
    },
    ...(flags.environments
      ? { warm: "background" as const }
      : {
          overrideHandlers: boundCallbacks(
            meter
              ? meteredHandlers(meter, seed ? seedHandlers() : undefined)
              : seed
                ? seedHandlers()
                : ourHandlersInProcess(),
          ),
        }),
  });
  if (dynamodbEndpoint) {
    // No handler has sent a DynamoDB request yet, and the SDK reads its endpoint variable at a
    // client's first request: from here on every handler's client goes to this DynamoDB (the meter
    // counts any request that does not).
    const tables = names(STAGE);
    await createTables(dynamodbEndpoint, [
      CallbackTable.createTableInput(tables.clientCallbackTable),
      OrdersTable.createTableInput(tables.ordersTable),
    ]);
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbEndpoint;
    runtime.state.endpoints.dynamodb = dynamodbEndpoint;
  }
  if (seed) {
    process.env.SEED_CLIENT_CALLBACK_TABLE = SEED_TABLE;
    const { seedTableInput } = await import("../baseline/seed-callbacks");
    await createTables(runtime.state.endpoints.dynamodb, [seedTableInput(SEED_TABLE)]);
  }
  process.on("message", async (request: RuntimeRequest) => {
    if (request.op === "counters")
      return send({
        id: request.id,
        result: {
          dynamodbRequests: runtime.dynamodbRequests(),
          retries,
          environments: environmentCount(runtime),
          coldStarts,
          mainHeapMb: Math.round(process.memoryUsage().heapUsed / 1048576),
          mainHeapTotalMb: Math.round(process.memoryUsage().heapTotal / 1048576),
          environmentsHeapMb: environmentsHeapMb(runtime),
          environmentsHeapUsedMb: environmentsHeapMb(runtime, "heapUsedMb"),
          ...(meter ? { meter: meter.snapshot() } : {}),
        },
      });
    if (request.op === "idle") {
      await runtime.stepFunctions.idle();
      await runtime.events.idle();
      return send({ id: request.id, result: null });
    }
    await runtime.close();
    send({ id: request.id, result: null });
    process.disconnect?.();
  });
  send({ ready: { state: runtime.state } });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench runtime failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
