/**
 * The child process of the benchmark: the local runtime (`npm start`'s, on free ports), answering the
 * parent over IPC. A separate process so that the benchmark's clients do not share its event loop,
 * as browsers would not; the parent reads the DynamoDB request counter through here.
 * With `--seed`, the seed's callback algorithm (../baseline) replaces ours: its $connect, $disconnect,
 * $default and status target run instead of our functions, on a table of its own in the same dynalite.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { Topology } from "@awsomepets/core/index";
import { startLocalRuntime } from "../../packages/local/src/runtime/start-runtime";
import { BENCH_TOKEN_SECRET } from "./bench-secret";
import type { RuntimeRequest, RuntimeResponse } from "./runtime-messages";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const send = (message: RuntimeResponse) => process.send?.(message);

const SEED_TABLE = "bench-SeedClientCallbackTbl";
const BENCH_MAX_CONNECTIONS_PER_ORDER = 1000;
const UNTHROTTLED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };

/** The seed's handlers, imported at first call: their module creates its client once the runtime has set the endpoints. */
function seedHandlers() {
  const baseline = () => import("../baseline/seed-callbacks");
  return {
    OrderWSConnectFunction: async (event: unknown) => (await baseline()).connect(event),
    OrderWSDisconnectFunction: async (event: unknown) => (await baseline()).disconnect(event),
    OrderWSPendingFunction: async (event: unknown) => (await baseline()).pending(event),
    OrderWSCallbackFunction: async (event: unknown) => (await baseline()).callback(event),
  };
}

async function main() {
  process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_DEBUG ? "WARN" : "SILENT";
  // The fan-out figure is 1,000 sockets of one order: above the default cap, which it is not measuring.
  process.env[Topology.ENV.maxConnectionsPerOrder] = String(BENCH_MAX_CONNECTIONS_PER_ORDER);
  const seed = process.argv.includes("--seed");
  let retries = 0;
  const runtime = await startLocalRuntime({
    root,
    log: (record) => {
      if (record.component === "events" && record.message === "retry") retries++;
    },
    config: {
      stage: "bench",
      region: "us-east-1",
      ports: { http: 0, websocket: 0, events: 0, stepfunctions: 0, dynamodb: 0 },
      json: false,
      tokenSecret: BENCH_TOKEN_SECRET,
      tokenSecretGenerated: false,
      // The figures measure the callbacks at a load far above a stage's throttles, which are not what they measure.
      throttles: { http: UNTHROTTLED, webSocket: { default: UNTHROTTLED, routes: { $connect: UNTHROTTLED } } },
    },
    overrideHandlers: seed ? seedHandlers() : undefined,
  });
  if (seed) {
    process.env.SEED_CLIENT_CALLBACK_TABLE = SEED_TABLE;
    const { seedTableInput } = await import("../baseline/seed-callbacks");
    const admin = new DynamoDBClient({ endpoint: runtime.state.endpoints.dynamodb });
    await admin.send(new CreateTableCommand(seedTableInput(SEED_TABLE)));
    admin.destroy();
  }
  process.on("message", async (request: RuntimeRequest) => {
    if (request.op === "counters") return send({ id: request.id, result: { dynamodbRequests: runtime.dynamodbRequests(), retries } });
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
