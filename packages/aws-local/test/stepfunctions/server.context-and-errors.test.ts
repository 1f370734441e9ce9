/**
 * What the endpoint adds to aws-local-stepfunctions, checked on small definitions: the Context Object
 * (`$$.State`, `$$.Execution`, `$$.StateMachine`), task failures shaped like Lambda's, how executions
 * end, and the AWS JSON 1.0 wire format.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DescribeExecutionCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import type { StateMachineDefinition } from "@awsomepets/aws-local/stepfunctions/definition";
import { startStepFunctionsEndpoint, type TaskHandler } from "@awsomepets/aws-local/stepfunctions/server";
import { ACCOUNT, cleanupList, ISO_MS, REGION, sfnClient } from "@test-support/stepfunctions";

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const LAMBDA = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Local`;
const stamped = { "at.$": "$$.State.EnteredTime", "state.$": "$$.State.Name" };

async function start(definition: StateMachineDefinition, taskHandlers: Record<string, TaskHandler>) {
  const endpoint = await startStepFunctionsEndpoint({
    region: REGION,
    account: ACCOUNT,
    stateMachines: [{ name: "Small", definition, taskHandlers }],
    retryIntervalOverrideMs: 0,
  });
  cleanups.add(() => endpoint.close());
  const client = sfnClient(endpoint.url);
  cleanups.add(() => client.destroy());
  return { endpoint, client, stateMachineArn: endpoint.stateMachineArn("Small") };
}

async function runToEnd(
  definition: StateMachineDefinition,
  taskHandlers: Record<string, TaskHandler>,
  input: unknown = {},
) {
  const { endpoint, client, stateMachineArn } = await start(definition, taskHandlers);
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, name: "run-1", input: JSON.stringify(input) }),
  );
  await endpoint.idle();
  return {
    executionArn,
    stateMachineArn,
    described: await client.send(new DescribeExecutionCommand({ executionArn })),
  };
}

describe("the Context Object", () => {
  it("gives each state a fresh, increasing millisecond EnteredTime and its Name, kept across the state's retries", async () => {
    // Prepare: A takes 20 ms; B fails once and is retried.
    const seen: Array<Record<string, unknown>> = [];
    let bAttempts = 0;
    const definition: StateMachineDefinition = {
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: LAMBDA, Parameters: stamped, ResultPath: null, Next: "B" },
        B: {
          Type: "Task",
          Resource: LAMBDA,
          Parameters: stamped,
          ResultPath: null,
          Retry: [{ ErrorEquals: ["Flaky"], MaxAttempts: 1 }],
          Next: "C",
        },
        C: { Type: "Task", Resource: LAMBDA, Parameters: stamped, ResultPath: null, End: true },
      },
    };
    const record =
      (delayMs = 0) =>
      async (input: Record<string, unknown>) => {
        seen.push(input);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return {};
      };
    const flakyOnce = async (input: Record<string, unknown>) => {
      seen.push(input);
      if (bAttempts++ === 0) throw Object.assign(new Error("try again"), { name: "Flaky" });
      return {};
    };
    const before = Date.now();

    // Act
    const { described } = await runToEnd(definition, { A: record(20), B: flakyOnce, C: record() });

    // Assess
    const after = Date.now();
    expect(described.status).toBe("SUCCEEDED");
    expect(seen.map((input) => input.state)).toEqual(["A", "B", "B", "C"]);
    const [a, b1, b2, c] = seen.map((input) => input.at as string);
    for (const at of [a, b1, b2, c]) expect(at).toMatch(ISO_MS);
    expect(b2).toBe(b1);
    expect(Date.parse(b1!) - Date.parse(a!)).toBeGreaterThanOrEqual(20);
    expect(c! > b1!).toBe(true);
    expect(Date.parse(a!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(c!)).toBeLessThanOrEqual(after);
  });

  it("stamps states that follow each other within a millisecond at least 1 ms apart", async () => {
    // Prepare: ten instant states.
    const names = Array.from({ length: 10 }, (_, i) => `S${i}`);
    const States = Object.fromEntries(
      names.map((name, i) => [
        name,
        {
          Type: "Task" as const,
          Resource: LAMBDA,
          Parameters: stamped,
          ResultPath: null,
          ...(i < names.length - 1 ? { Next: names[i + 1]! } : { End: true as const }),
        },
      ]),
    );
    const stamps: string[] = [];
    const handler = async (input: { at: string }) => void stamps.push(input.at);

    // Act
    await runToEnd({ StartAt: "S0", States }, Object.fromEntries(names.map((name) => [name, handler])));

    // Assess
    expect(stamps).toHaveLength(10);
    for (let i = 1; i < stamps.length; i++)
      expect(Date.parse(stamps[i]!) - Date.parse(stamps[i - 1]!)).toBeGreaterThanOrEqual(1);
  });

  it("describes the execution and state machine in $$.Execution and $$.StateMachine", async () => {
    // Prepare
    let seen: Record<string, unknown> = {};
    const definition: StateMachineDefinition = {
      StartAt: "Look",
      States: {
        Look: {
          Type: "Task",
          Resource: LAMBDA,
          Parameters: {
            "id.$": "$$.Execution.Id",
            "name.$": "$$.Execution.Name",
            "input.$": "$$.Execution.Input",
            "startTime.$": "$$.Execution.StartTime",
            "roleArn.$": "$$.Execution.RoleArn",
            "stateMachineId.$": "$$.StateMachine.Id",
            "stateMachineName.$": "$$.StateMachine.Name",
          },
          End: true,
        },
      },
    };

    // Act
    const { executionArn, stateMachineArn, described } = await runToEnd(
      definition,
      {
        Look: async (input) => {
          seen = input;
        },
      },
      { orderId: "o-1" },
    );

    // Assess
    expect(seen).toMatchObject({
      id: executionArn,
      name: "run-1",
      input: { orderId: "o-1" },
      stateMachineId: stateMachineArn,
      stateMachineName: "Small",
    });
    expect(seen.startTime).toMatch(ISO_MS);
    expect(Math.abs(Date.parse(seen.startTime as string) - described.startDate!.getTime())).toBeLessThan(50);
    expect(seen.roleArn).toMatch(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/`));
  });
});

describe("how executions end", () => {
  it("fails with the Lambda error when a task's error is not caught: Error is the errorType, Cause the JSON payload", async () => {
    // Prepare
    const definition: StateMachineDefinition = {
      StartAt: "Boom",
      States: { Boom: { Type: "Task", Resource: LAMBDA, End: true } },
    };
    const boom = async () => {
      throw new RangeError("out of range");
    };
    // Act
    const { described } = await runToEnd(definition, { Boom: boom });
    // Assess
    expect(described).toMatchObject({ status: "FAILED", error: "RangeError" });
    expect(JSON.parse(described.cause!)).toEqual({ errorType: "RangeError", errorMessage: "out of range", trace: [] });
  });

  it("fails without error or cause when the Fail state names none", async () => {
    // Prepare
    const definition: StateMachineDefinition = { StartAt: "Stop", States: { Stop: { Type: "Fail" } } };
    // Act
    const { described } = await runToEnd(definition, {});
    // Assess
    expect(described.status).toBe("FAILED");
    expect(described.error).toBeUndefined();
    expect(described.cause).toBeUndefined();
  });

  it("takes a Fail state's ErrorPath and CausePath from the state's input", async () => {
    // Prepare
    const definition: StateMachineDefinition = {
      StartAt: "Stop",
      States: { Stop: { Type: "Fail", ErrorPath: "$.code", CausePath: "$.why" } },
    };
    // Act
    const { described } = await runToEnd(definition, {}, { code: "Nope", why: "because" });
    // Assess
    expect(described).toMatchObject({ status: "FAILED", error: "Nope", cause: "because" });
  });
});

describe("the endpoint at startup and on the wire", () => {
  it("refuses to start when a Task state has no handler, so that nothing would call AWS", async () => {
    // Prepare
    const definition: StateMachineDefinition = {
      StartAt: "T",
      States: { T: { Type: "Task", Resource: LAMBDA, End: true } },
    };
    // Act
    const starting = startStepFunctionsEndpoint({ stateMachines: [{ name: "Small", definition, taskHandlers: {} }] });
    // Assess
    await expect(starting).rejects.toThrow(/no task handler for T/);
  });

  it("refuses to start with an invalid definition", async () => {
    // Prepare
    const definition = { StartAt: "Missing", States: { T: { Type: "Pass", End: true } } } as StateMachineDefinition;
    // Act
    const starting = startStepFunctionsEndpoint({ stateMachines: [{ name: "Small", definition, taskHandlers: {} }] });
    // Assess
    await expect(starting).rejects.toThrow(/invalid/);
  });

  it("answers an unsupported operation with a JSON 1.0 error: status 400, __type and x-amzn-errortype", async () => {
    // Prepare
    const { endpoint } = await start({ StartAt: "P", States: { P: { Type: "Pass", End: true } } }, {});
    // Act
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.DeleteStateMachine" },
      body: "{}",
    });
    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await response.json()).toMatchObject({
      __type: "UnknownOperationException",
      message: expect.stringContaining("DeleteStateMachine"),
    });
  });

  it("refuses a body over 1 MB with 413 RequestEntityTooLargeException, and serves the next request", async () => {
    // Prepare
    const { endpoint, client, stateMachineArn } = await start(
      { StartAt: "P", States: { P: { Type: "Pass", End: true } } },
      {},
    );
    const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AWSStepFunctions.StartExecution" };
    // Act
    const oversized = await fetch(endpoint.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ stateMachineArn, input: "x".repeat(1024 * 1024) }),
    });
    const next = await client.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    // Assess
    expect([oversized.status, oversized.headers.get("x-amzn-errortype")]).toEqual([
      413,
      "RequestEntityTooLargeException",
    ]);
    expect(((await oversized.json()) as { message: string }).message).toContain("1048576 bytes");
    expect(next.executionArn).toContain(":Small:");
    await endpoint.idle();
  });
});
