/**
 * Starts the local Step Functions endpoint with the real order saga, and an SFNClient pointed at it.
 * The steps read each order from a real OrdersTbl (the run's dynalite), as the deployed ones do: a
 * test describes an order with `orderInput` (its basket, card and address), gets back the workflow's
 * input (nothing personal), and the order is stored the way `POST /orders` stores it before its first
 * step runs.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { type cleanupList, sfnClient } from "@test-support/stepfunctions";
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import type * as Order from "@awsomepets/core/orders/request";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Saga from "@awsomepets/core/orders/saga";
import { OrderStore } from "@awsomepets/core/orders/store";
import * as Topology from "@awsomepets/core/platform/topology";
import { testDocumentClient, testDynamoClient } from "@test-support/dynamodb";
import { loadDefinition, taskStates } from "@awsomepets/aws-local/stepfunctions/definition";
import {
  startStepFunctionsEndpoint,
  type StepFunctionsEndpointOptions,
  type TaskHandler,
} from "@awsomepets/aws-local/stepfunctions/server";

export { ACCOUNT, REGION } from "@test-support/stepfunctions";
import { ACCOUNT, REGION } from "@test-support/stepfunctions";
export const BUS = "awsomepets-orders";
export const PUT_EVENTS = "arn:aws:states:::events:putEvents";
export { ISO_MS } from "@test-support/stepfunctions";

export const ASL_TEXT = readFileSync(new URL("../../../core/src/orders/workflow.asl.json", import.meta.url), "utf8");

/** The placeholders the stack substitutes, with local values. */
export const SUBSTITUTIONS: Record<string, string> = {
  [Topology.WORKFLOW.eventBusPlaceholder]: BUS,
  ...Object.fromEntries(
    Object.entries(Topology.WORKFLOW.tasks).map(([state, fn]) => [
      Topology.taskPlaceholder(state as keyof typeof Topology.WORKFLOW.tasks),
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}`,
    ]),
  ),
};

/** What each order a test described was placed with, by order id: stored before its first step. */
const requests = new Map<string, { request: Order.OrderRequest; placedAt: string; amountCents: number }>();

export type OrderFixture = Partial<Order.WorkflowInput & Order.OrderRequest>;

/** An order as the workflow is started with: `{ orderId, placedAt, amountCents }`; its request is kept for the store. */
export function orderInput(overrides: OrderFixture = {}): Order.WorkflowInput {
  const {
    orderId = randomUUID(),
    placedAt = "2026-11-26T10:00:00.000Z",
    basket = [{ sku: "DOG-LAB", quantity: 1 }],
    paymentDetail = { cardToken: "tok_visa" },
    shippingAddress = { name: "Ana", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001", country: "PT" },
  } = overrides;
  const amountCents = overrides.amountCents ?? Catalogue.priceCents(basket) ?? 0;
  requests.set(orderId, { request: { basket, paymentDetail, shippingAddress }, placedAt, amountCents });
  return { orderId, placedAt, amountCents };
}

/** A fresh OrdersTbl on the run's dynalite, and the store the steps read it through. */
export async function testOrderStore(cleanups: ReturnType<typeof cleanupList>) {
  const tableName = `OrdersTbl-${randomUUID()}`;
  const dynamo = testDynamoClient();
  await dynamo.send(new CreateTableCommand(OrdersTable.createTableInput(tableName)));
  const client = testDocumentClient();
  cleanups.add(async () => {
    await dynamo.send(new DeleteTableCommand({ TableName: tableName }));
    dynamo.destroy();
    client.destroy();
  });
  // The clock of the fixtures' placedAt: their items are not expired when the steps read them.
  const store = new OrderStore({ client, tableName, now: () => new Date("2026-11-26T10:00:00.000Z") });
  return { store, client, tableName };
}

/** Stores the order `orderInput` described, as `POST /orders` does before starting the workflow: once per store. */
const storedIn = new WeakMap<OrderStore, Set<string>>();
async function stored(store: OrderStore, orderId: string) {
  const placed = requests.get(orderId);
  const done = storedIn.get(store) ?? storedIn.set(store, new Set()).get(store)!;
  if (!placed || done.has(orderId)) return;
  await store.createOrder({ orderId, ...placed });
  done.add(orderId);
}

export type PutEventsParameters = {
  Entries: Array<{ EventBusName: string; Source: string; DetailType: string; Detail: Record<string, unknown> }>;
};

/** The saga's handlers: its steps call the real Saga module on `store`; the Publish states record what they were given. */
export function sagaHandlers(store: OrderStore) {
  const published: PutEventsParameters[] = [];
  const taskInputs: Record<string, unknown[]> = {};
  const deps = { store };
  const steps: Record<keyof typeof Topology.WORKFLOW.tasks, (input: any) => unknown> = {
    ReserveInventory: (input) => Saga.reserveInventory(deps, input),
    ProcessPayment: (input) => Saga.processPayment(deps, input),
    CompleteOrder: (input) => Saga.completeOrder(deps, input),
    ReleaseInventory: (input) => Saga.releaseInventory(deps, input),
    ProcessRefund: (input) => Saga.processRefund(deps, input),
    CancelOrder: (input) => Saga.cancelOrder(deps, input),
  };
  const definition = loadDefinition(ASL_TEXT, SUBSTITUTIONS);
  const handlers: Record<string, TaskHandler> = {};
  for (const { name, resource } of taskStates(definition)) {
    const step = steps[name as keyof typeof steps];
    handlers[name] = async (input) => {
      taskInputs[name] ??= [];
      taskInputs[name].push(input);
      if (resource === PUT_EVENTS) {
        published.push(input as PutEventsParameters);
        return { FailedEntryCount: 0, Entries: [{ EventId: randomUUID() }] };
      }
      if (!step) throw new Error(`no saga step for ${name}`);
      await stored(store, (input as { orderId: string }).orderId);
      return step(input);
    };
  }
  return { definition, handlers, published, taskInputs };
}

export { cleanupList, sfnClient } from "@test-support/stepfunctions";

/** The saga on a fresh endpoint plus a client; both are registered for cleanup. */
export async function startSaga(
  cleanups: ReturnType<typeof cleanupList>,
  options: Partial<StepFunctionsEndpointOptions> & { handlers?: Record<string, TaskHandler> } = {},
) {
  const orders = await testOrderStore(cleanups);
  const saga = sagaHandlers(orders.store);
  const logLines: Array<Record<string, unknown>> = [];
  const endpoint = await startStepFunctionsEndpoint({
    region: REGION,
    account: ACCOUNT,
    stateMachines: [
      {
        name: Topology.WORKFLOW.name,
        definition: saga.definition,
        taskHandlers: { ...saga.handlers, ...options.handlers },
      },
    ],
    retryIntervalOverrideMs: 0,
    log: (line) => logLines.push(line),
    ...options,
  });
  cleanups.add(() => endpoint.close());
  const client = sfnClient(endpoint.url);
  cleanups.add(() => client.destroy());
  return {
    ...saga,
    orders,
    endpoint,
    client,
    logLines,
    stateMachineArn: endpoint.stateMachineArn(Topology.WORKFLOW.name),
  };
}

/** A promise to release by hand: a handler awaiting it stays in flight until the test says so. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return {
    handler:
      (result: unknown = {}) =>
      async (_input?: unknown) => {
        entered();
        await opened;
        return result;
      },
    reached,
    open: () => open(),
  };
}

/** What one execution of `startScriptedSaga` should meet: an EventBridge outage, a failing step. */
export type Script = {
  /** Whether attempt `attempt` (1, 2, …) of Publish state `state` fails as PutEvents does when EventBridge is down. */
  failPublish?: (state: string, attempt: number) => boolean;
  /** A step that throws this error instead of running. */
  failStep?: { state: "ReserveInventory" | "ProcessPayment" | "CompleteOrder"; name: string; message: string };
};

/**
 * The saga on one endpoint, each execution following its own script (keyed by order id): `run` starts
 * an order, waits for it to end and answers what happened — the task states attempted in order, the
 * details published, the description and the history.
 */
export async function startScriptedSaga(cleanups: ReturnType<typeof cleanupList>) {
  const scripts = new Map<string, Script>();
  const attempts = new Map<string, number>();
  const calls: Array<{ orderId: string; state: string }> = [];
  let real: Record<string, TaskHandler> = {};
  const handlers: Record<string, TaskHandler> = {};
  for (const { name, resource } of taskStates(loadDefinition(ASL_TEXT, SUBSTITUTIONS))) {
    handlers[name] = async (input: { orderId?: string; Entries?: PutEventsParameters["Entries"] }) => {
      // A Lambda step gets the state's input; a Publish state its Parameters, the PutEvents request.
      const orderId = String(input.orderId ?? input.Entries?.[0]?.Detail.orderId);
      const script = scripts.get(orderId) ?? {};
      const key = `${orderId} ${name}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      calls.push({ orderId, state: name });
      if (resource === PUT_EVENTS && script.failPublish?.(name, attempt)) {
        throw Object.assign(new Error("An internal error occurred"), { name: "EventBridge.InternalException" });
      }
      if (script.failStep?.state === name)
        throw Object.assign(new Error(script.failStep.message), { name: script.failStep.name });
      return real[name]!(input);
    };
  }
  const saga = await startSaga(cleanups, { handlers });
  real = saga.handlers;

  async function run(input: Order.WorkflowInput, script: Script = {}) {
    scripts.set(input.orderId, script);
    const { executionArn } = await saga.client.send(
      new StartExecutionCommand({
        stateMachineArn: saga.stateMachineArn,
        name: input.orderId,
        input: JSON.stringify(input),
      }),
    );
    await saga.endpoint.idle();
    const described = await saga.client.send(new DescribeExecutionCommand({ executionArn }));
    const { events = [] } = await saga.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const attempted = calls.filter((call) => call.orderId === input.orderId).map((call) => call.state);
    return {
      described,
      events,
      /** Each task state once, in the order first attempted. */
      ran: [...new Set(attempted)],
      attempted,
      details: saga.published
        .map((parameters) => parameters.Entries[0]!.Detail)
        .filter((detail) => detail.orderId === input.orderId),
    };
  }
  return { ...saga, run };
}
