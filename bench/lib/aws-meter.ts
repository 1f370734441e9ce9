/**
 * What AWS would bill, metered inside the benchmark's runtime process only (never in product code):
 * every DynamoDB request of every SDK client in the process is sent with `ReturnConsumedCapacity:
 * TOTAL` and the units DynamoDB answers are summed, EventBridge `PutEvents` entries are counted, and
 * each Lambda invocation's duration is measured around the handler. Each figure is kept per function
 * (the invocation it happened in, through AsyncLocalStorage), so the cost of a status splits by who
 * spent it.
 *
 * The hook is the SDK's own client class: a middleware added to each DynamoDB and EventBridge
 * client's stack the first time it sends (the document client shares its inner client's stack).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the SDK clients the runtime's code loads are installed (a workspace may hold its own copy). */
const SDK_ANCHORS = [
  "@aws-sdk/client-dynamodb",
  "@aws-sdk/lib-dynamodb",
  "@aws-sdk/client-eventbridge",
  "packages/core/node_modules/@aws-sdk/client-eventbridge",
  "packages/functions/node_modules/@aws-sdk/client-eventbridge",
];

/** Operations that accept ReturnConsumedCapacity, and whether DynamoDB bills them as writes. */
const METERED_OPERATIONS: Record<string, "read" | "write"> = {
  GetItem: "read",
  Query: "read",
  Scan: "read",
  BatchGetItem: "read",
  TransactGetItems: "read",
  PutItem: "write",
  UpdateItem: "write",
  DeleteItem: "write",
  BatchWriteItem: "write",
  TransactWriteItems: "write",
};

/**
 * DynamoDB's answer time inside an AWS region (single-digit milliseconds for a small item): the
 * "at AWS latency" duration replaces each request's local wait (DynamoDB Local on a loaded machine
 * answers in tens of milliseconds) with this.
 */
export const AWS_DYNAMODB_REQUEST_MS = 5;

/** Work done outside any invocation (the runtime's own set-up, the saga's PutEvents tasks). */
export const OUTSIDE_FUNCTIONS = "(runtime)";

export type FunctionMeter = {
  invocations: number;
  /** Sum over invocations of the duration rounded up to the next millisecond, as Lambda bills. */
  billed_ms: number;
  /** The same with each DynamoDB request's local wait replaced by AWS_DYNAMODB_REQUEST_MS. */
  billed_ms_at_aws_latency: number;
  write_units: number;
  read_units: number;
  dynamodb_requests: number;
  /**
   * Conditional writes whose condition failed: DynamoDB bills them (at least 1 write unit, more for
   * an item over 1 KB) but answers no ConsumedCapacity; counted here as 1 unit each, a lower bound.
   */
  failed_conditional_writes: number;
  put_events_entries: number;
};

export type MeterSnapshot = {
  functions: Record<string, FunctionMeter>;
  /** Units by table (all functions), to tell the callback table from the orders table. */
  tables: Record<string, { write_units: number; read_units: number }>;
  /** Requests that went somewhere other than the DynamoDB endpoint the meter expects. */
  unexpected_endpoint_requests: number;
};

const emptyFunction = (): FunctionMeter => ({
  invocations: 0,
  billed_ms: 0,
  billed_ms_at_aws_latency: 0,
  write_units: 0,
  read_units: 0,
  dynamodb_requests: 0,
  failed_conditional_writes: 0,
  put_events_entries: 0,
});

type ConsumedCapacity = { TableName?: string; CapacityUnits?: number };
type MiddlewareStack = { add(middleware: unknown, options: { step: string; name: string; priority?: string }): void };
type SdkClient = { config?: { serviceId?: string }; middlewareStack: MiddlewareStack };

export function createAwsMeter(options: { expectedDynamoDbEndpoint?: () => string | undefined } = {}) {
  /** The invocation running: its function, and its DynamoDB requests and their wall time so far. */
  const current = new AsyncLocalStorage<{ name: string; dynamodbRequests: number; dynamodbWaitMs: number }>();
  const snapshot: MeterSnapshot = { functions: {}, tables: {}, unexpected_endpoint_requests: 0 };
  const of = (name = current.getStore()?.name ?? OUTSIDE_FUNCTIONS) => (snapshot.functions[name] ??= emptyFunction());
  const addUnits = (kind: "read" | "write", capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => {
    for (const c of [capacity ?? []].flat()) {
      const units = c.CapacityUnits ?? 0;
      const tableName = c.TableName ?? "?";
      snapshot.tables[tableName] ??= { write_units: 0, read_units: 0 };
      const table = snapshot.tables[tableName];
      if (kind === "write") {
        of().write_units += units;
        table.write_units += units;
      } else {
        of().read_units += units;
        table.read_units += units;
      }
    }
  };

  const dynamodbMiddleware =
    (
      next: (args: {
        input: Record<string, unknown>;
        request?: { hostname?: string; port?: number };
      }) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
    async (args: { input: Record<string, unknown> }) => {
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      const kind = METERED_OPERATIONS[operation] ?? METERED_OPERATIONS[documentOperation(operation)];
      if (!kind) return next(args);
      of().dynamodb_requests++;
      const askedByCaller = args.input.ReturnConsumedCapacity !== undefined;
      const invocation = current.getStore();
      const sent = performance.now();
      try {
        const result = await next({
          ...args,
          input: { ...args.input, ReturnConsumedCapacity: askedByCaller ? args.input.ReturnConsumedCapacity : "TOTAL" },
        });
        addUnits(kind, result.output.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined);
        // The caller sees what it would have seen without the meter.
        if (!askedByCaller) delete result.output.ConsumedCapacity;
        return result;
      } catch (error) {
        if ((error as { name?: string }).name === "ConditionalCheckFailedException") {
          of().failed_conditional_writes++;
          addUnits("write", { TableName: String(args.input.TableName ?? "?"), CapacityUnits: 1 });
        }
        throw error;
      } finally {
        if (invocation) {
          invocation.dynamodbRequests++;
          invocation.dynamodbWaitMs += performance.now() - sent;
        }
      }
    };

  const endpointCheck =
    (next: (args: { request: { hostname?: string; port?: number } }) => Promise<unknown>) =>
    async (args: { request: { hostname?: string; port?: number } }) => {
      const expected = options.expectedDynamoDbEndpoint?.();
      if (expected) {
        const url = new URL(expected);
        if (args.request.hostname !== url.hostname || String(args.request.port ?? "") !== url.port)
          snapshot.unexpected_endpoint_requests++;
      }
      return next(args);
    };

  const eventBridgeMiddleware =
    (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: { input: Record<string, unknown> }) => {
      if (context.commandName === "PutEventsCommand")
        of().put_events_entries += (args.input.Entries as unknown[] | undefined)?.length ?? 0;
      return next(args);
    };

  const instrumented = new WeakSet<MiddlewareStack>();
  function instrument(client: SdkClient) {
    if (instrumented.has(client.middlewareStack)) return;
    instrumented.add(client.middlewareStack);
    const service = client.config?.serviceId;
    if (service === "DynamoDB") {
      client.middlewareStack.add(dynamodbMiddleware, {
        step: "initialize",
        name: "benchConsumedCapacity",
        priority: "high",
      });
      client.middlewareStack.add(endpointCheck, { step: "finalizeRequest", name: "benchEndpointCheck" });
    } else if (service === "EventBridge") {
      client.middlewareStack.add(eventBridgeMiddleware, {
        step: "initialize",
        name: "benchPutEventsEntries",
        priority: "high",
      });
    }
  }

  return {
    /**
     * Hooks every SDK client of this process: their send is the smithy `Client`'s, of which the
     * installed SDK versions hold two copies (`@smithy/core/client`, `@smithy/smithy-client`).
     */
    install() {
      const patched = new Set<unknown>();
      for (const anchor of SDK_ANCHORS) {
        let requireFrom: NodeRequire;
        try {
          requireFrom = createRequire(
            createRequire(path.join(root, anchor)).resolve(anchor.split("/node_modules/").pop()!),
          );
        } catch {
          continue; // that copy is not installed
        }
        for (const module of ["@smithy/core/client", "@smithy/smithy-client"]) {
          let Client: { prototype: { send: (this: SdkClient, ...args: unknown[]) => unknown } };
          try {
            Client = (requireFrom(module) as { Client: typeof Client }).Client;
          } catch {
            continue;
          }
          if (!Client || patched.has(Client)) continue;
          patched.add(Client);
          const send = Client.prototype.send;
          Client.prototype.send = function (this: SdkClient, ...args: unknown[]) {
            instrument(this);
            return send.apply(this, args);
          };
        }
      }
      if (patched.size === 0) throw new Error("the AWS meter found no SDK Client class to hook");
    },
    /** Runs one invocation of `functionName`, timing it and attributing what it spends to it. */
    async invocation<T>(functionName: string, invoke: () => Promise<T>): Promise<T> {
      const started = performance.now();
      const invocation = { name: functionName, dynamodbRequests: 0, dynamodbWaitMs: 0 };
      try {
        return await current.run(invocation, invoke);
      } finally {
        const ms = performance.now() - started;
        const meter = of(functionName);
        meter.invocations++;
        meter.billed_ms += Math.ceil(ms);
        // Requests of one invocation may overlap: never count more wait than the invocation lasted.
        const ownMs = Math.max(0, ms - Math.min(ms, invocation.dynamodbWaitMs));
        meter.billed_ms_at_aws_latency += Math.ceil(ownMs + invocation.dynamodbRequests * AWS_DYNAMODB_REQUEST_MS);
      }
    },
    snapshot: (): MeterSnapshot => structuredClone(snapshot),
  };
}

/** The document client's commands are named after the operations (`Put` → PutItem). */
function documentOperation(name: string) {
  return (
    {
      Put: "PutItem",
      Get: "GetItem",
      Update: "UpdateItem",
      Delete: "DeleteItem",
      BatchGet: "BatchGetItem",
      BatchWrite: "BatchWriteItem",
      TransactGet: "TransactGetItems",
      TransactWrite: "TransactWriteItems",
    }[name] ?? name
  );
}

/** `after - before`, function by function and table by table. */
export function meterDifference(before: MeterSnapshot, after: MeterSnapshot): MeterSnapshot {
  const functions: Record<string, FunctionMeter> = {};
  for (const [name, a] of Object.entries(after.functions)) {
    const b = before.functions[name] ?? emptyFunction();
    const d = Object.fromEntries(
      Object.entries(a).map(([k, v]) => [k, v - b[k as keyof FunctionMeter]]),
    ) as FunctionMeter;
    if (Object.values(d).some((v) => v !== 0)) functions[name] = d;
  }
  const tables: MeterSnapshot["tables"] = {};
  for (const [name, a] of Object.entries(after.tables)) {
    const b = before.tables[name] ?? { write_units: 0, read_units: 0 };
    tables[name] = { write_units: a.write_units - b.write_units, read_units: a.read_units - b.read_units };
  }
  return {
    functions,
    tables,
    unexpected_endpoint_requests: after.unexpected_endpoint_requests - before.unexpected_endpoint_requests,
  };
}
