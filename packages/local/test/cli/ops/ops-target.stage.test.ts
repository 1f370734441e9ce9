/**
 * The operator commands' stage mode with AWS stubbed (the only mock allowed): what they send to
 * SQS, Lambda, EventBridge and CloudFormation, and what they make of the answers.
 */
import { InvokeCommand } from "@aws-sdk/client-lambda";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type Message,
} from "@aws-sdk/client-sqs";
import { DescribeReplayCommand, StartReplayCommand } from "@aws-sdk/client-eventbridge";
import { describe, expect, it } from "vitest";
import { CommandError, HelpRequested, UsageError } from "../../../src/cli/cli-errors";
import { redrivable } from "../../../src/cli/ops/dead-letter-message";
import { pendingLines } from "../../../src/cli/ops/pending-report";
import { redriveQueue } from "../../../src/cli/ops/redrive-queue";
import { readReplayOptions } from "../../../src/cli/ops/replay-options";
import { POLLS_WITHOUT_WAIT, runReplay } from "../../../src/cli/ops/run-replay";
import { readStageOutputs, STACK_OUTPUTS } from "../../../src/cli/ops/stack-outputs";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/dev-OrderStatusCallbackDLQ";
const FUNCTION = "dev-awsomepets-callbacks-OrderWSCallbackFunction-AbC";
const event = (orderId: string, status = "paid") => ({
  version: "0",
  id: `id-${orderId}`,
  "detail-type": "Order Status Changed",
  source: "awsomepets.orders",
  detail: { orderId, status },
});
const failureRecord = (payload: unknown) => ({
  version: "1.0",
  timestamp: "2026-11-26T10:00:00.000Z",
  requestContext: {
    requestId: "r-1",
    functionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION}:$LATEST`,
    condition: "RetriesExhausted",
    approximateInvokeCount: 3,
  },
  requestPayload: payload,
  responseContext: { statusCode: 200, functionError: "Unhandled" },
  responsePayload: { errorType: "Error", errorMessage: "boom" },
});

/** A dead-letter queue as SQS would answer: every message once (then hidden), deletes and visibility changes recorded. */
function stubQueue(bodies: string[]) {
  const messages: Message[] = bodies.map((Body, i) => ({ MessageId: `m-${i}`, ReceiptHandle: `rh-${i}`, Body }));
  let received = false;
  const calls = {
    deleted: [] as string[],
    released: [] as string[],
    invoked: [] as Array<{ FunctionName?: string; InvocationType?: string; payload: unknown }>,
  };
  const sqs = async (command: unknown) => {
    if (command instanceof ReceiveMessageCommand) {
      expect(command.input).toMatchObject({ QueueUrl: QUEUE, MaxNumberOfMessages: 10 });
      const answer = received ? [] : messages;
      received = true;
      return { Messages: answer };
    }
    if (command instanceof DeleteMessageCommand) return void calls.deleted.push(command.input.ReceiptHandle!);
    if (command instanceof ChangeMessageVisibilityBatchCommand) {
      for (const entry of command.input.Entries ?? []) {
        expect(entry.VisibilityTimeout).toBe(0);
        calls.released.push(entry.ReceiptHandle!);
      }
      return { Successful: [], Failed: [] };
    }
    throw new Error(`unexpected ${String(command)}`);
  };
  const lambda =
    (statusCode = 202) =>
    async (command: unknown) => {
      if (!(command instanceof InvokeCommand)) throw new Error("unexpected command");
      const { FunctionName, InvocationType, Payload } = command.input;
      calls.invoked.push({
        FunctionName,
        InvocationType,
        payload: JSON.parse(new TextDecoder().decode(Payload as Uint8Array)),
      });
      return { StatusCode: statusCode };
    };
  return { sqs, lambda, calls };
}

describe("redrive of an SQS dead-letter queue", () => {
  const bodies = [JSON.stringify(event("o-1")), JSON.stringify(failureRecord(event("o-2", "placed"))), "not json"];

  it("invokes the function asynchronously with each original event, deletes it, and leaves what it does not understand", async () => {
    const { sqs, lambda, calls } = stubQueue(bodies);
    const lines: string[] = [];
    const counts = await redriveQueue({
      queueUrl: QUEUE,
      functionName: FUNCTION,
      sqs,
      lambda: lambda(),
      dryRun: false,
      out: (l) => lines.push(l),
    });
    expect(counts).toEqual({ redriven: 2, skipped: 1 });
    expect(calls.invoked).toEqual([
      { FunctionName: FUNCTION, InvocationType: "Event", payload: event("o-1") },
      { FunctionName: FUNCTION, InvocationType: "Event", payload: event("o-2", "placed") },
    ]);
    expect(calls.deleted).toEqual(["rh-0", "rh-1"]);
    expect(calls.released).toEqual(["rh-2"]);
    expect(lines).toEqual([
      `redriven ${FUNCTION} o-1 paid (rule target)`,
      `redriven ${FUNCTION} o-2 placed (failed invocation) — last error: Error: boom`,
      `skipped m-2 in ${QUEUE}: the body is not JSON (left in the queue)`,
    ]);
  });

  it("--dry-run invokes nothing, deletes nothing and makes every message visible again", async () => {
    const { sqs, lambda, calls } = stubQueue(bodies);
    const lines: string[] = [];
    const counts = await redriveQueue({
      queueUrl: QUEUE,
      functionName: FUNCTION,
      sqs,
      lambda: lambda(),
      dryRun: true,
      out: (l) => lines.push(l),
    });
    expect(counts).toEqual({ redriven: 2, skipped: 1 });
    expect([calls.invoked, calls.deleted, calls.released]).toEqual([[], [], ["rh-0", "rh-1", "rh-2"]]);
    expect(lines[0]).toBe(`would redrive ${FUNCTION} o-1 paid (rule target)`);
  });

  it("keeps a message whose invocation Lambda did not accept, and stops", async () => {
    const { sqs, lambda, calls } = stubQueue(bodies);
    await expect(
      redriveQueue({ queueUrl: QUEUE, functionName: FUNCTION, sqs, lambda: lambda(500), dryRun: false, out: () => {} }),
    ).rejects.toThrow(/answered 500/);
    expect(calls.deleted).toEqual([]);
    expect(calls.released).toEqual(["rh-0", "rh-1", "rh-2"]);
  });
});

describe("redrive of an event the function's schema refused", () => {
  it("sends it back once fixed, and says which fields had failed", async () => {
    // Prepare: what Lambda's failure destination writes after the handler threw on every attempt
    const invalid = event("o-3", "shipped");
    const record = {
      ...failureRecord(invalid),
      responsePayload: {
        errorType: "InvalidStatusEventError",
        errorMessage: "Not a valid order status event, retrying cannot help: detail.status: invalid_value",
        trace: [],
      },
    };
    const { sqs, lambda, calls } = stubQueue([JSON.stringify(record)]);
    const lines: string[] = [];
    // Act
    const counts = await redriveQueue({
      queueUrl: QUEUE,
      functionName: FUNCTION,
      sqs,
      lambda: lambda(),
      dryRun: false,
      out: (l) => lines.push(l),
    });
    // Assess
    expect(counts).toEqual({ redriven: 1, skipped: 0 });
    expect(calls.invoked).toEqual([{ FunctionName: FUNCTION, InvocationType: "Event", payload: invalid }]);
    expect(calls.deleted).toEqual(["rh-0"]);
    expect(lines).toEqual([
      `redriven ${FUNCTION} o-3 shipped (failed invocation) — last error: InvalidStatusEventError: Not a valid order status event, retrying cannot help: detail.status: invalid_value`,
    ]);
  });
});

describe("dead-letter message bodies", () => {
  it("takes the event itself, or a failure record's requestPayload; refuses anything else", () => {
    expect(redrivable(JSON.stringify(event("o")))).toMatchObject({
      ok: true,
      source: "rule target",
      event: event("o"),
    });
    expect(redrivable(JSON.stringify(failureRecord(event("o"))))).toMatchObject({
      ok: true,
      source: "failed invocation",
      event: event("o"),
    });
    expect(redrivable(JSON.stringify({ ...failureRecord(event("o")), responsePayload: null }))).toMatchObject({
      ok: true,
      lastError: undefined,
    });
    expect(redrivable(JSON.stringify(failureRecord({ hello: 1 })))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("requestPayload"),
    });
    expect(redrivable(JSON.stringify({ some: "thing" }))).toMatchObject({ ok: false });
    expect(redrivable(undefined)).toMatchObject({ ok: false, reason: "the body is not JSON" });
  });
});

describe("stack outputs", () => {
  const target = { kind: "stage" as const, stage: "dev", region: "eu-west-1" };
  const keys = [STACK_OUTPUTS.Orders.projectionDeadLetterQueueUrl, STACK_OUTPUTS.Orders.projectionFunctionName];

  it("reads the named outputs of the stage's stack", async () => {
    const asked: string[] = [];
    const outputs = await readStageOutputs(target, "Orders", keys, async (name) => {
      asked.push(name);
      return {
        StackName: name,
        Outputs: [
          { OutputKey: "ProjectionDeadLetterQueueUrl", OutputValue: "https://q" },
          { OutputKey: "ProjectionFunctionName", OutputValue: "fn" },
        ],
      };
    });
    expect(asked).toEqual(["dev-awsomepets-callbacks-Orders"]);
    expect(outputs).toEqual({ ProjectionDeadLetterQueueUrl: "https://q", ProjectionFunctionName: "fn" });
  });

  it("says in one line which output is missing, or that the stage is not deployed", async () => {
    await expect(
      readStageOutputs(target, "Orders", keys, async () => ({
        Outputs: [{ OutputKey: "ProjectionDeadLetterQueueUrl", OutputValue: "https://q" }],
      })),
    ).rejects.toThrow(
      new CommandError(
        "Stack dev-awsomepets-callbacks-Orders has no ProjectionFunctionName output (deploy this version of the app to the stage first)",
      ),
    );
    const notDeployed = Object.assign(new Error("Stack with id dev-awsomepets-callbacks-Orders does not exist"), {
      name: "ValidationError",
    });
    await expect(readStageOutputs(target, "Orders", keys, async () => Promise.reject(notDeployed))).rejects.toThrow(
      new CommandError(
        'Stack dev-awsomepets-callbacks-Orders does not exist in eu-west-1. Is stage "dev" deployed in eu-west-1?',
      ),
    );
  });
});

describe("replay", () => {
  const base = {
    name: "r1",
    archiveArn: "arn:aws:events:eu-west-1:1:archive/a",
    eventBusArn: "arn:aws:events:eu-west-1:1:event-bus/b",
    from: new Date("2026-11-26T10:00:00Z"),
    to: new Date("2026-11-26T11:00:00Z"),
  };
  const stubEventBridge = (states: Array<{ State: string; StateReason?: string }>) => {
    const sent: unknown[] = [];
    let describes = 0;
    const send = async (command: unknown) => {
      sent.push(command);
      if (command instanceof StartReplayCommand) return { ReplayArn: "arn:replay", State: "STARTING" };
      if (command instanceof DescribeReplayCommand)
        return { ReplayName: "r1", ...states[Math.min(describes++, states.length - 1)] };
      throw new Error("unexpected command");
    };
    return { send, sent };
  };

  it("starts the replay from the archive into the bus, then with --wait polls until it has ended", async () => {
    const { send, sent } = stubEventBridge([{ State: "STARTING" }, { State: "RUNNING" }, { State: "COMPLETED" }]);
    const lines: string[] = [];
    const code = await runReplay({ ...base, send, wait: true, out: (l) => lines.push(l), sleep: async () => {} });
    expect(code).toBe(0);
    expect((sent[0] as StartReplayCommand).input).toEqual({
      ReplayName: "r1",
      EventSourceArn: base.archiveArn,
      EventStartTime: base.from,
      EventEndTime: base.to,
      Destination: { Arn: base.eventBusArn },
    });
    expect(sent.filter((c) => c instanceof DescribeReplayCommand)).toHaveLength(3);
    expect(lines.at(-1)).toBe(
      "replay r1: COMPLETED; 0 events: the archive holds none received between 2026-11-26T10:00:00.000Z and 2026-11-26T11:00:00.000Z",
    );
  });

  it("says when the last replayed event was received, or that no event was replayed", async () => {
    const replayed = stubEventBridge([
      { State: "COMPLETED", EventLastReplayedTime: new Date("2026-11-26T10:59:00Z") } as never,
    ]);
    const lines: string[] = [];
    expect(
      await runReplay({ ...base, send: replayed.send, wait: true, out: (l) => lines.push(l), sleep: async () => {} }),
    ).toBe(0);
    expect(lines.at(-1)).toBe(
      "replay r1: COMPLETED; events replayed up to 2026-11-26T10:59:00.000Z (EventBridge reports no count)",
    );
    const empty = stubEventBridge([{ State: "COMPLETED" }]);
    const emptyLines: string[] = [];
    await runReplay({
      ...base,
      send: empty.send,
      wait: true,
      out: (l) => emptyLines.push(l),
      sleep: async () => {},
      emptyHint: "since npm start",
    });
    expect(emptyLines.at(-1)).toMatch(/^replay r1: COMPLETED; 0 events: .* \(since npm start\)$/);
  });

  it("without --wait reports a replay still running after a few polls, exit 0; a failed one exits 1 with its reason", async () => {
    const running = stubEventBridge([{ State: "RUNNING" }]);
    const lines: string[] = [];
    expect(
      await runReplay({ ...base, send: running.send, wait: false, out: (l) => lines.push(l), sleep: async () => {} }),
    ).toBe(0);
    expect(running.sent.filter((c) => c instanceof DescribeReplayCommand)).toHaveLength(POLLS_WITHOUT_WAIT);
    expect(lines.slice(-2)).toEqual([
      "replay r1: RUNNING",
      "still going; see `aws events describe-replay --replay-name r1`, or run with --wait",
    ]);
    const failed = stubEventBridge([{ State: "FAILED", StateReason: "archive gone" }]);
    const failedLines: string[] = [];
    expect(
      await runReplay({
        ...base,
        send: failed.send,
        wait: true,
        out: (l) => failedLines.push(l),
        sleep: async () => {},
      }),
    ).toBe(1);
    expect(failedLines.at(-1)).toBe("replay r1: FAILED (archive gone)");
  });

  it("reads its options: --to defaults to now, a named stage and region, usage errors", () => {
    const now = new Date("2026-11-26T12:00:00.000Z");
    expect(
      readReplayOptions(["--from", "2026-11-26T10:00:00Z", "--stage", "prod"], {
        env: { AWS_REGION: "eu-west-1" },
        now,
      }),
    ).toEqual({
      from: new Date("2026-11-26T10:00:00Z"),
      to: now,
      name: "ops-20261126120000000",
      wait: false,
      target: { kind: "stage", stage: "prod", region: "eu-west-1" },
    });
    const read = (argv: string[]) => () => readReplayOptions(argv, { env: {}, now });
    expect(read(["--help"])).toThrow(HelpRequested);
    expect(read([])).toThrow(new UsageError("give --from <time>"));
    expect(read(["--from", "2026-11-26T11:00:00Z", "--to", "2026-11-26T10:00:00Z"])).toThrow(
      new UsageError("--from must be before --to", false),
    );
    expect(read(["--from", "2026-11-26T10:00:00Z", "--name", "no spaces"])).toThrow(UsageError);
    expect(read(["--from", "2026-11-26T10:00:00Z", "--stage", "bad_stage!"])).toThrow(UsageError);
  });
});

describe("pending output", () => {
  const entry = (orderId: string, status: "placed" | "paid", seq: number) =>
    ({
      orderId,
      status,
      seq,
      occurredAt: "2026-11-26T10:00:00.000Z",
      recordedAt: "2026-11-26T10:00:01.000Z",
    }) as Parameters<typeof pendingLines>[0][number];

  it("prints a table in the given order with a count, JSON with --json, and a sentence when none", () => {
    expect(pendingLines([entry("order-a", "placed", 1), entry("order-b", "paid", 2)], false)).toEqual([
      "RECORDED AT               ORDER ID  STATUS  SEQ  OCCURRED AT",
      "2026-11-26T10:00:01.000Z  order-a   placed  1    2026-11-26T10:00:00.000Z",
      "2026-11-26T10:00:01.000Z  order-b   paid    2    2026-11-26T10:00:00.000Z",
      "2 pending statuses",
    ]);
    expect(JSON.parse(pendingLines([entry("order-a", "placed", 1)], true)[0]!)).toEqual([
      entry("order-a", "placed", 1),
    ]);
    expect(pendingLines([], false)).toEqual(["No pending statuses: every recorded status has reached a client."]);
  });
});
