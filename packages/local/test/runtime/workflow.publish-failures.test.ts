/**
 * When EventBridge refuses a status (an outage longer than a Publish state's retries), the saga never
 * strands the order: it goes its normal course (a paid order is completed, or refunded), publishes
 * what it still can, and ends in `StatusesNotPublished` — a failed execution, which alarms an operator
 * (stacks/Orders.ts) — with each unpublished status under `$.unpublished`, next to what its detail
 * carries, for the operator to publish again.
 */
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASL_TEXT, cleanupList, orderInput, PUT_EVENTS, startScriptedSaga } from "../support/workflow";

const cleanups = cleanupList();
let saga: Awaited<ReturnType<typeof startScriptedSaga>>;
beforeAll(async () => {
  saga = await startScriptedSaga(cleanups);
});
afterAll(() => cleanups.run());

type State = {
  Type: string;
  Resource?: string;
  Next?: string;
  Default?: string;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string; Next: string }>;
  Retry?: Array<{ MaxAttempts?: number }>;
  Choices?: Array<{ Next: string }>;
};
const states: Record<string, State> = JSON.parse(ASL_TEXT).States;
const publishStates = Object.entries(states)
  .filter(([, state]) => state.Resource === PUT_EVENTS)
  .map(([name]) => name);
const statusOf = (publishState: string) => publishState.replace(/^Publish/, "").toLowerCase();

/** Each path's task states as they run when nothing fails. */
const PATHS = {
  success: {
    input: {},
    ran: ["ReserveInventory", "PublishReserved", "ProcessPayment", "PublishPaid", "CompleteOrder", "PublishCompleted"],
  },
  "sold out": {
    input: { basket: [{ sku: "SOLD-OUT", quantity: 1 }] },
    ran: ["ReserveInventory", "CancelOrder", "PublishCancelled"],
  },
  "declined card": {
    input: { paymentDetail: { cardToken: "tok_declined" } },
    ran: [
      "ReserveInventory",
      "PublishReserved",
      "ProcessPayment",
      "ReleaseInventory",
      "PublishReleased",
      "CancelOrder",
      "PublishCancelled",
    ],
  },
  undeliverable: {
    input: { shippingAddress: { name: "Ana", line1: "1 Main St", city: "Nowhere", postalCode: "0", country: "XX" } },
    ran: [
      "ReserveInventory",
      "PublishReserved",
      "ProcessPayment",
      "PublishPaid",
      "CompleteOrder",
      "ProcessRefund",
      "PublishRefunded",
      "ReleaseInventory",
      "PublishReleased",
      "CancelOrder",
      "PublishCancelled",
    ],
  },
} satisfies Record<string, { input: Parameters<typeof orderInput>[0]; ran: string[] }>;
type PathName = keyof typeof PATHS;
const publishesOf = (path: PathName) => PATHS[path].ran.filter((state) => publishStates.includes(state));

/** The input of the Fail state the execution ended in: what the operator is handed. */
function handedOver(events: HistoryEvent[]) {
  const entered = events.filter((event) => event.type === "FailStateEntered");
  expect(entered.map((event) => event.stateEnteredEventDetails!.name)).toEqual(["StatusesNotPublished"]);
  return JSON.parse(entered[0]!.stateEnteredEventDetails!.input!);
}

describe("the workflow definition", () => {
  it("has six events:putEvents states, each catching every error and going on where its success goes, the status kept under $.unpublished", () => {
    expect(publishStates.sort()).toEqual([
      "PublishCancelled",
      "PublishCompleted",
      "PublishPaid",
      "PublishRefunded",
      "PublishReleased",
      "PublishReserved",
    ]);
    for (const name of publishStates) {
      const state = states[name]!;
      expect(state.Catch, name).toEqual([
        { ErrorEquals: ["States.ALL"], ResultPath: `$.unpublished.${statusOf(name)}`, Next: state.Next },
      ]);
    }
  });

  it("ends only in OrderCompleted, OrderCancelled, CompletedByAnotherExecution (Succeed) or StatusesNotPublished, the one Fail state, reached when a status is unpublished", () => {
    const ends = Object.entries(states).filter(
      ([, state]) => ["Succeed", "Fail"].includes(state.Type) || (state as { End?: boolean }).End,
    );
    expect(ends.map(([name, state]) => [name, state.Type])).toEqual([
      ["OrderCompleted", "Succeed"],
      ["OrderCancelled", "Succeed"],
      ["CompletedByAnotherExecution", "Succeed"],
      ["StatusesNotPublished", "Fail"],
    ]);
    for (const confirm of ["ConfirmCompleted", "ConfirmCancelled"]) {
      expect(states[confirm]).toMatchObject({
        Type: "Choice",
        Choices: [{ Variable: "$.unpublished", IsPresent: true, Next: "ForgetStepError" }],
      });
    }
    // A step's error text (a Lambda's, a provider's) does not reach the cause: it may quote what the step was asked.
    expect(states.ForgetStepError).toMatchObject({
      Type: "Pass",
      Result: { dropped: true },
      ResultPath: "$.error",
      Next: "HandOverUnpublished",
    });
    // The failure's cause is the state itself as JSON: an Express workflow, which keeps no history, logs it at level ERROR.
    expect(states.HandOverUnpublished).toMatchObject({
      Type: "Pass",
      Parameters: { "cause.$": "States.JsonToString($)" },
      ResultPath: "$.handOver",
      Next: "StatusesNotPublished",
    });
    expect(states.StatusesNotPublished).toMatchObject({ Error: "StatusesNotPublished", CausePath: "$.handOver.cause" });
    expect([states.PublishCompleted!.Next, states.PublishCancelled!.Next]).toEqual([
      "ConfirmCompleted",
      "ConfirmCancelled",
    ]);
  });
});

const oneFailure = (Object.keys(PATHS) as PathName[]).flatMap((path) =>
  publishesOf(path).map((state) => [path, state] as const),
);

describe("a Publish state whose PutEvents fails past its retries", () => {
  it.each(oneFailure)(
    "%s path, %s: the order goes its course, the rest is published, and the execution ends in StatusesNotPublished",
    async (path, failing) => {
      // Prepare
      const input = orderInput(PATHS[path].input);
      const maxAttempts = states[failing]!.Retry![0]!.MaxAttempts!;

      // Act
      const run = await saga.run(input, { failPublish: (state) => state === failing });

      // Assess
      expect(run.ran).toEqual(PATHS[path].ran);
      expect(run.attempted.filter((state) => state === failing)).toHaveLength(1 + maxAttempts);
      expect(run.details.map((detail) => detail.status)).toEqual(
        publishesOf(path)
          .filter((state) => state !== failing)
          .map(statusOf),
      );
      expect(run.described).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
      const failInput = handedOver(run.events);
      // What the operator reads without a history: the failure's cause is the state as JSON. On AWS it
      // parses back; aws-local-stepfunctions' intrinsics drop every backslash of their result (nested
      // JSON strings lose their escapes), so here only what it names is checked.
      expect(run.described.cause).toContain(`{"orderId":"${input.orderId}"`);
      expect(run.described.cause).toContain(
        `"unpublished":{"${statusOf(failing)}":{"Error":"EventBridge.InternalException"`,
      );
      expect(Object.keys(failInput.unpublished)).toEqual([statusOf(failing)]);
      expect(failInput.unpublished[statusOf(failing)]).toMatchObject({ Error: "EventBridge.InternalException" });
      expect(failInput.orderId).toBe(input.orderId);
    },
  );
});

describe("an EventBridge outage from payment on", () => {
  const outage = (state: string) => state !== "PublishReserved";

  it("a paid order is still completed, and handed to an operator with paid and completed unpublished", async () => {
    // Prepare
    const input = orderInput(PATHS.success.input);
    // Act
    const run = await saga.run(input, { failPublish: outage });
    // Assess
    expect(run.ran).toEqual(PATHS.success.ran);
    expect(run.details.map((detail) => detail.status)).toEqual(["reserved"]);
    expect(run.described).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
    const failInput = handedOver(run.events);
    expect(failInput).toMatchObject({ payment: { amountPaid: 450 }, shipment: { shipmentId: `shp-${input.orderId}` } });
    expect(Object.keys(failInput.unpublished)).toEqual(["paid", "completed"]);
  });

  it("a paid order that cannot be delivered is still refunded, released and cancelled, and handed to an operator", async () => {
    // Prepare
    const input = orderInput(PATHS.undeliverable.input);
    // Act
    const run = await saga.run(input, { failPublish: outage });
    // Assess
    expect(run.ran).toEqual(PATHS.undeliverable.ran);
    expect(run.ran).toContain("ProcessRefund");
    expect(run.details.map((detail) => detail.status)).toEqual(["reserved"]);
    expect(run.described).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
    const failInput = handedOver(run.events);
    expect(Object.keys(failInput.unpublished)).toEqual(["paid", "refunded", "released", "cancelled"]);
    expect(failInput).toMatchObject({
      payment: { amountPaid: 450 },
      compensation: { reason: "We cannot deliver to XX" },
    });
  });

  it("an outage shorter than the retries loses nothing: every status published, the execution succeeds", async () => {
    // Prepare
    const input = orderInput(PATHS.success.input);
    // Act
    const run = await saga.run(input, { failPublish: (state, attempt) => state === "PublishPaid" && attempt <= 3 });
    // Assess
    expect(run.attempted.filter((state) => state === "PublishPaid")).toHaveLength(4);
    expect(run.details.map((detail) => detail.status)).toEqual(["reserved", "paid", "completed"]);
    expect(run.described.status).toBe("SUCCEEDED");
  });
});

describe("the failure's cause of an order whose step failed", () => {
  it("holds no text of the step's error, which may quote the card token", async () => {
    // Prepare: CompleteOrder fails with a message quoting a token, then PublishCancelled fails
    const input = orderInput();
    const failStep = {
      state: "CompleteOrder" as const,
      name: "Error",
      message: "provider said: card tok_secret_4242 refused",
    };
    // Act
    const run = await saga.run(input, { failStep, failPublish: (state) => state === "PublishCancelled" });
    // Assess
    expect(run.described).toMatchObject({ status: "FAILED", error: "StatusesNotPublished" });
    expect(run.described.cause).toContain(`"unpublished":{"cancelled"`);
    expect(run.described.cause).not.toContain("tok_secret_4242");
  });
});
