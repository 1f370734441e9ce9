/**
 * StartExecution, DescribeExecution and ListExecutions through the real SFNClient: Standard-workflow
 * naming and idempotency, request errors, listing, and closing with an execution in flight.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DescribeExecutionCommand, ListExecutionsCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { stateMachineArn as stateMachineArnOf } from "@awsomepets/aws-local/stepfunctions/arns";
import { ACCOUNT, cleanupList, gate, orderInput, REGION, startSaga } from "../support/workflow";

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === "Timeout").length;

describe("StartExecution", () => {
  it("answers the same name and input, while the execution runs, with that execution: one execution, same ARN and startDate", async () => {
    // Prepare: ReserveInventory holds the first execution open.
    const held = gate();
    let reservations = 0;
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups, {
      handlers: {
        ReserveInventory: async (input) => {
          reservations++;
          return held.handler({ reservationId: "res-1" })(input);
        },
      },
    });
    const input = JSON.stringify(orderInput());
    const first = await client.send(new StartExecutionCommand({ stateMachineArn, name: "order-1", input }));
    await held.reached;

    // Act
    const second = await client.send(new StartExecutionCommand({ stateMachineArn, name: "order-1", input }));
    held.open();
    await endpoint.idle();

    // Assess
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate).toEqual(first.startDate);
    expect(reservations).toBe(1);
    const { executions = [] } = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions.map((execution) => execution.name)).toEqual(["order-1"]);
  });

  it("refuses the same name with another input (ExecutionAlreadyExists), and any start of a closed execution's name", async () => {
    // Prepare
    const held = gate();
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups, {
      handlers: { ReserveInventory: held.handler({ reservationId: "res-1" }) },
    });
    const input = orderInput();
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );
    await held.reached;

    // Act
    const otherInput = client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: input.orderId,
        input: JSON.stringify({ ...input, placedAt: "2026-11-27T00:00:00.000Z" }),
      }),
    );
    await expect(otherInput).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
      $metadata: { httpStatusCode: 400 },
    });
    held.open();
    await endpoint.idle();
    const sameInputAfterClose = client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );

    // Assess
    await expect(sameInputAfterClose).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
      message: expect.stringContaining(input.orderId),
    });
  });

  it("names an execution with a UUID when the request has no name", async () => {
    // Prepare
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups);
    // Act
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(orderInput()) }),
    );
    await endpoint.idle();
    // Assess
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.name).toMatch(UUID);
    expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:OrderWorkflow:${described.name}`);
  });

  it.each([
    ["empty", ""],
    ["81 characters", "x".repeat(81)],
    ["whitespace", "order 1"],
    ["a wildcard", "order*"],
    ["a bracket", "order[1]"],
    ["a slash", "orders/1"],
    ["a control character", "order\u0007"],
  ])("refuses a name that is %s (InvalidName)", async (_why, name) => {
    // Prepare
    const { client, stateMachineArn } = await startSaga(cleanups);
    // Act
    const start = client.send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" }));
    // Assess
    await expect(start).rejects.toMatchObject({ name: "InvalidName" });
  });

  it("accepts an 80-character name", async () => {
    // Prepare
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups);
    // Act
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: "n".repeat(80), input: JSON.stringify(orderInput()) }),
    );
    await endpoint.idle();
    // Assess
    expect(executionArn).toMatch(/:n{80}$/);
  });

  it("refuses an unknown state machine (StateMachineDoesNotExist) and a malformed ARN (InvalidArn)", async () => {
    // Prepare
    const { client } = await startSaga(cleanups);
    // Act
    const unknown = client.send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArnOf(REGION, ACCOUNT, "NoSuchWorkflow"), input: "{}" }),
    );
    const malformed = client.send(new StartExecutionCommand({ stateMachineArn: "not-an-arn", input: "{}" }));
    // Assess
    await expect(unknown).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(malformed).rejects.toMatchObject({ name: "InvalidArn" });
  });

  it("refuses input that is not JSON (InvalidExecutionInput) and starts nothing", async () => {
    // Prepare
    const { client, stateMachineArn } = await startSaga(cleanups);
    // Act
    const start = client.send(new StartExecutionCommand({ stateMachineArn, name: "bad-input", input: "{orderId:" }));
    // Assess
    await expect(start).rejects.toMatchObject({ name: "InvalidExecutionInput" });
    const { executions = [] } = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(executions).toEqual([]);
  });
});

describe("DescribeExecution and ListExecutions", () => {
  it("lists a state machine's executions newest first, filters by status and pages", async () => {
    // Prepare: one succeeds, one fails (cancelled, but its cancellation could not be published), one is still running.
    const held = gate();
    const { client, endpoint, stateMachineArn } = await startSaga(cleanups, {
      handlers: {
        CompleteOrder: async (input) =>
          input.orderId === "held" ? held.handler({ shipmentId: "s" })(input) : { shipmentId: "s" },
        PublishCancelled: async () => Promise.reject(new Error("the bus is down")),
      },
    });
    for (const [name, input] of [
      ["succeeds", orderInput({ orderId: "succeeds" })],
      ["not-told", orderInput({ orderId: "not-told", paymentDetail: { cardToken: "tok_declined" } })],
    ] as const) {
      await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      await endpoint.idle();
    }
    await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: "held",
        input: JSON.stringify(orderInput({ orderId: "held" })),
      }),
    );
    await held.reached;

    // Act
    const all = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    const failed = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "FAILED" }));
    const firstPage = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    const secondPage = await client.send(
      new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: firstPage.nextToken }),
    );
    const running = await client.send(new DescribeExecutionCommand({ executionArn: all.executions![0]!.executionArn }));
    held.open();
    await endpoint.idle();

    // Assess
    expect(all.executions!.map((execution) => [execution.name, execution.status])).toEqual([
      ["held", "RUNNING"],
      ["not-told", "FAILED"],
      ["succeeds", "SUCCEEDED"],
    ]);
    expect(all.executions![0]!.stopDate).toBeUndefined();
    expect(all.executions![1]!.stopDate).toBeInstanceOf(Date);
    expect(all.nextToken).toBeUndefined();
    expect(failed.executions!.map((execution) => execution.name)).toEqual(["not-told"]);
    expect(firstPage.executions!.map((execution) => execution.name)).toEqual(["held", "not-told"]);
    expect(secondPage.executions!.map((execution) => execution.name)).toEqual(["succeeds"]);
    expect(secondPage.nextToken).toBeUndefined();
    expect(running).toMatchObject({ status: "RUNNING", name: "held" });
    expect(running.stopDate).toBeUndefined();
  });

  it("answers ExecutionDoesNotExist for an execution it never started", async () => {
    // Prepare
    const { client } = await startSaga(cleanups);
    // Act
    const describe = client.send(
      new DescribeExecutionCommand({
        executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:OrderWorkflow:nope`,
      }),
    );
    // Assess
    await expect(describe).rejects.toMatchObject({ name: "ExecutionDoesNotExist" });
  });
});

describe("close()", () => {
  it("aborts an execution in flight, lets nothing continue and leaves no timer behind", async () => {
    // Prepare: ProcessPayment never answers until the test releases it, after close.
    const timersBefore = timers();
    const held = gate();
    const { client, endpoint, stateMachineArn, logLines, taskInputs } = await startSaga(cleanups, {
      handlers: { ProcessPayment: held.handler({ amountPaid: 1 }) },
    });
    const input = orderInput();
    await client.send(
      new StartExecutionCommand({ stateMachineArn, name: input.orderId, input: JSON.stringify(input) }),
    );
    await held.reached;
    client.destroy();

    // Act
    await endpoint.close();

    // Assess: the library's Task and execution timeouts are cleared although the handler still hangs.
    expect(timers()).toBeLessThanOrEqual(timersBefore);
    await endpoint.idle();
    held.open();
    await new Promise((resolve) => setImmediate(resolve));
    const end = logLines.filter((line) => line.message === "stepfunctions.execution.aborted");
    expect(end).toEqual([
      expect.objectContaining({ status: "ABORTED", orderId: input.orderId, execution: input.orderId }),
    ]);
    expect(taskInputs.PublishPaid).toBeUndefined();
    await expect(fetch(endpoint.url, { method: "POST" })).rejects.toThrow();
  });
});
