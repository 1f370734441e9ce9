/**
 * Executions kept within a bound, and resumed from a journal: a running execution is written down at
 * every state it enters, and a new endpoint on the same journal resumes it at that state.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { DescribeExecutionCommand, ExecutionDoesNotExist, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { directoryJournal } from "@awsomepets/aws-local/journal";
import type { StateMachineDefinition } from "@awsomepets/aws-local/stepfunctions/definition";
import {
  startStepFunctionsEndpoint,
  type JournalEntry,
  type StepFunctionsEndpointOptions,
  type TaskHandler,
} from "@awsomepets/aws-local/stepfunctions/server";
import { ACCOUNT, cleanupList, REGION, sfnClient } from "@test-support/stepfunctions";

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const LAMBDA = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:Local`;
const TWO_STEPS: StateMachineDefinition = {
  StartAt: "First",
  States: {
    First: { Type: "Task", Resource: LAMBDA, Next: "Second" },
    Second: { Type: "Task", Resource: LAMBDA, End: true },
  },
};

async function start(taskHandlers: Record<string, TaskHandler>, options: Partial<StepFunctionsEndpointOptions> = {}) {
  const endpoint = await startStepFunctionsEndpoint({
    region: REGION,
    account: ACCOUNT,
    stateMachines: [{ name: "Two", definition: TWO_STEPS, taskHandlers }],
    ...options,
  });
  cleanups.add(() => endpoint.close());
  const client = sfnClient(endpoint.url);
  cleanups.add(() => client.destroy());
  return { endpoint, client, stateMachineArn: endpoint.stateMachineArn("Two") };
}

it("keeps only the newest finished executions past maxFinishedExecutions", async () => {
  // Prepare
  const step: TaskHandler = async (input) => input;
  const { endpoint, client, stateMachineArn } = await start(
    { First: step, Second: step },
    { maxFinishedExecutions: 3 },
  );
  // Act
  const arns: string[] = [];
  for (let i = 1; i <= 8; i++) {
    arns.push(
      (await client.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}`, input: "{}" }))).executionArn!,
    );
    await endpoint.idle();
  }
  // Assess
  expect(endpoint.executionCount()).toBe(3);
  await expect(client.send(new DescribeExecutionCommand({ executionArn: arns[0] }))).rejects.toBeInstanceOf(
    ExecutionDoesNotExist,
  );
  expect((await client.send(new DescribeExecutionCommand({ executionArn: arns[7] }))).status).toBe("SUCCEEDED");
});

it("resumes a journaled execution at the state it was in, without running earlier states again", async () => {
  // Prepare: a first endpoint stops while Second runs; its journal says so
  const dir = mkdtempSync(path.join(tmpdir(), "sfn-journal-"));
  cleanups.add(() => rmSync(dir, { recursive: true, force: true }));
  const calls: string[] = [];
  let releaseSecond!: () => void;
  const secondEntered = new Promise<void>((resolve) => (releaseSecond = resolve));
  const first = await start(
    {
      First: async (input) => {
        calls.push("First");
        return { ...input, first: true };
      },
      Second: async () => {
        releaseSecond();
        return new Promise(() => {});
      },
    },
    { journal: directoryJournal<JournalEntry>(dir) },
  );
  const { executionArn } = await first.client.send(
    new StartExecutionCommand({ stateMachineArn: first.stateMachineArn, name: "order-1", input: '{"orderId":"o-1"}' }),
  );
  await secondEntered;
  await first.endpoint.close();
  expect(directoryJournal<JournalEntry>(dir).list()).toEqual([
    expect.objectContaining({ executionArn, checkpoint: { state: "Second", input: { orderId: "o-1", first: true } } }),
  ]);

  // Act: a new endpoint on the same journal
  const secondInputs: unknown[] = [];
  const second = await start(
    {
      First: async (input) => {
        calls.push("First again");
        return input;
      },
      Second: async (input) => {
        secondInputs.push(input);
        return { done: true };
      },
    },
    { journal: directoryJournal<JournalEntry>(dir) },
  );
  const resumed = second.endpoint.resumeJournaled();
  await second.endpoint.idle();

  // Assess
  expect(resumed).toBe(1);
  expect(calls).toEqual(["First"]);
  expect(secondInputs).toEqual([{ orderId: "o-1", first: true }]);
  const described = await second.client.send(new DescribeExecutionCommand({ executionArn }));
  expect(described).toMatchObject({
    status: "SUCCEEDED",
    name: "order-1",
    input: '{"orderId":"o-1"}',
    output: '{"done":true}',
  });
  expect(readdirSync(dir)).toEqual([]);
});
