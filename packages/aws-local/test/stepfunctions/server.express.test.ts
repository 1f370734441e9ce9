/**
 * An Express state machine, as AWS runs one asynchronously: names are not unique (every start is a
 * new execution with its own ARN), at least once (`expressRunsTwice` makes it visible), no
 * DescribeExecution, GetExecutionHistory or ListExecutions (refused as AWS refuses them), and 5
 * minutes at most (shortened here). What an execution did is read from the endpoint's log, as it is
 * from an Express workflow's log group.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { StateMachineDefinition } from "@awsomepets/aws-local/stepfunctions/definition";
import {
  startStepFunctionsEndpoint,
  type StepFunctionsEndpointOptions,
  type TaskHandler,
} from "@awsomepets/aws-local/stepfunctions/server";
import { ACCOUNT, cleanupList, REGION, sfnClient } from "@test-support/stepfunctions";

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const LAMBDA = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Local`;
const ONE_TASK: StateMachineDefinition = {
  StartAt: "Work",
  States: { Work: { Type: "Task", Resource: LAMBDA, End: true } },
};

async function start(
  taskHandlers: Record<string, TaskHandler>,
  options: Partial<StepFunctionsEndpointOptions> = {},
  definition = ONE_TASK,
) {
  const records: Array<Record<string, unknown>> = [];
  const endpoint = await startStepFunctionsEndpoint({
    region: REGION,
    account: ACCOUNT,
    stateMachines: [{ name: "Quick", type: "EXPRESS", definition, taskHandlers }],
    retryIntervalOverrideMs: 0,
    log: (record) => records.push(record),
    ...options,
  });
  cleanups.add(() => endpoint.close());
  const client = sfnClient(endpoint.url);
  cleanups.add(() => client.destroy());
  const ended = () =>
    records.filter((r) => /^stepfunctions\.execution\.(succeeded|failed|timed-out|aborted)$/.test(String(r.message)));
  return { endpoint, client, stateMachineArn: endpoint.stateMachineArn("Quick"), records, ended };
}

describe("an Express state machine", () => {
  it("starts a new execution for every StartExecution, even with the same name and input", async () => {
    // Prepare
    const runs: unknown[] = [];
    const { endpoint, client, stateMachineArn, ended } = await start({
      Work: async (input) => {
        runs.push(input);
        return input;
      },
    });
    const request = { stateMachineArn, name: "order-1", input: JSON.stringify({ orderId: "order-1" }) };
    // Act
    const first = await client.send(new StartExecutionCommand(request));
    const second = await client.send(new StartExecutionCommand(request));
    await endpoint.idle();
    // Assess
    expect(first.executionArn).toMatch(
      new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:express:Quick:order-1:[0-9a-f-]{36}$`),
    );
    expect(second.executionArn).not.toBe(first.executionArn);
    expect(runs).toEqual([{ orderId: "order-1" }, { orderId: "order-1" }]);
    expect(ended().map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  });

  it("runs every execution twice with expressRunsTwice (at least once): the caller gets one ARN", async () => {
    // Prepare
    const runs: unknown[] = [];
    const { endpoint, client, stateMachineArn, records } = await start(
      {
        Work: async (input) => {
          runs.push(input);
          return input;
        },
      },
      { expressRunsTwice: true },
    );
    // Act
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: "order-2", input: JSON.stringify({ orderId: "order-2" }) }),
    );
    await endpoint.idle();
    // Assess
    expect(runs).toEqual([{ orderId: "order-2" }, { orderId: "order-2" }]);
    const duplicated = records.find((r) => r.message === "stepfunctions.execution.duplicated");
    expect(duplicated).toMatchObject({ of: started.executionArn, orderId: "order-2", execution: "order-2" });
    expect(duplicated!.executionArn).not.toBe(started.executionArn);
  });

  it("refuses DescribeExecution, GetExecutionHistory and ListExecutions, as AWS does for Express", async () => {
    // Prepare
    const { endpoint, client, stateMachineArn } = await start({ Work: async (input) => input });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    await endpoint.idle();
    // Act
    const described = client.send(new DescribeExecutionCommand({ executionArn }));
    const history = client.send(new GetExecutionHistoryCommand({ executionArn }));
    const listed = client.send(new ListExecutionsCommand({ stateMachineArn }));
    // Assess
    await expect(described).rejects.toMatchObject({
      name: "InvalidArn",
      message: expect.stringContaining("express"),
      $metadata: { httpStatusCode: 400 },
    });
    await expect(history).rejects.toMatchObject({ name: "InvalidArn", $metadata: { httpStatusCode: 400 } });
    await expect(listed).rejects.toMatchObject({
      name: "StateMachineTypeNotSupported",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("ends an execution past Express's limit as TIMED_OUT (States.Timeout), whatever the definition's own timeout", async () => {
    // Prepare: a task that outlasts the (shortened) limit; the definition's own timeout is an hour
    const { endpoint, client, stateMachineArn, ended } = await start(
      { Work: () => new Promise((resolve) => setTimeout(() => resolve({}), 1_000)) },
      { expressMaxDurationMs: 200 },
      { ...ONE_TASK, TimeoutSeconds: 3600 },
    );
    // Act
    await client.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
    await endpoint.idle();
    // Assess
    expect(ended()).toEqual([expect.objectContaining({ status: "TIMED_OUT", error: "States.Timeout" })]);
    expect(ended()[0]!.durationMs).toBeLessThan(1_000);
  });

  it("leaves a Standard state machine exactly once: the same name and input is the same execution", async () => {
    // Prepare
    const runs: unknown[] = [];
    // The execution runs until the second start has been answered: AWS answers a repeated name and
    // input with the same execution only while it runs (ExecutionAlreadyExists once it has ended).
    let release!: () => void;
    const secondAnswered = new Promise<void>((resolve) => (release = resolve));
    const endpoint = await startStepFunctionsEndpoint({
      region: REGION,
      account: ACCOUNT,
      stateMachines: [
        {
          name: "Steady",
          definition: ONE_TASK,
          taskHandlers: {
            Work: async (input) => {
              runs.push(input);
              await secondAnswered;
              return input;
            },
          },
        },
      ],
      expressRunsTwice: true,
    });
    cleanups.add(() => endpoint.close());
    const client = sfnClient(endpoint.url);
    cleanups.add(() => client.destroy());
    const request = { stateMachineArn: endpoint.stateMachineArn("Steady"), name: "order-3", input: "{}" };
    // Act
    const first = await client.send(new StartExecutionCommand(request));
    const second = await client.send(new StartExecutionCommand(request)).finally(release);
    await endpoint.idle();
    // Assess
    expect(second.executionArn).toBe(first.executionArn);
    expect(runs).toHaveLength(1);
  });
});
