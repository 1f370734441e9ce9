/**
 * The local EventBridge endpoint over HTTP, driven by the real `@aws-sdk/client-eventbridge` (and
 * the AWS CLI when installed): PutEvents answers, delivery to targets, retries, dead letters, close.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import {
  DETAIL_TYPE,
  EVENT_SOURCE,
  RETRY_POLICY,
  STATUS_PATTERN,
  statusEntry as sampleEntry,
  type Status,
} from "../support/fixtures";
import {
  startEventBridgeEndpoint,
  type EventBridgeEndpointOptions,
  type EventBridgeEvent,
  type EventRule,
} from "@awsomepets/aws-local/eventbridge/server";

const BUS = "orders";
const ORDER_ID = "7f3e2a1c-5b4d-4c8e-9f6a-1b2c3d4e5f60";
const statusEntry = (status: Status = "paid", orderId = ORDER_ID): PutEventsRequestEntry =>
  sampleEntry({ orderId, status, occurredAt: "2025-03-04T05:06:07.890Z" }, BUS);

/** Everything a test starts, stopped after it whatever the outcome. */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(
  options: Partial<EventBridgeEndpointOptions> & {
    target?: EventRule["target"];
    retryAttempts?: number;
    maximumEventAgeSeconds?: number;
  } = {},
) {
  const logLines: Array<Record<string, unknown>> = [];
  const received: EventBridgeEvent[] = [];
  const target = options.target ?? (async (event: EventBridgeEvent) => void received.push(event));
  const rule: EventRule = {
    name: "OrderStatusToCallback",
    busName: BUS,
    pattern: STATUS_PATTERN,
    target,
    retryPolicy: {
      retryAttempts: options.retryAttempts ?? RETRY_POLICY.retryAttempts,
      maximumEventAgeSeconds: options.maximumEventAgeSeconds ?? RETRY_POLICY.maximumEventAgeSeconds,
    },
  };
  const endpoint = await startEventBridgeEndpoint({
    buses: [BUS],
    rules: [rule],
    retryBaseDelayMs: 5,
    log: (line) => logLines.push(line),
    ...options,
  });
  cleanups.push(() => endpoint.close());
  const client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  cleanups.push(() => client.destroy());
  return { endpoint, client, received, logLines };
}

const messages = (lines: Array<Record<string, unknown>>, message: string) =>
  lines.filter((line) => line.message === message);

describe("local EventBridge endpoint with the AWS SDK", () => {
  it("accepts a status event and delivers it to the rule's target", async () => {
    // Prepare
    const { endpoint, client, received, logLines } = await start();
    const entry = { ...statusEntry(), Time: new Date("2017-12-22T18:43:48Z") };
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: [entry] }));
    await endpoint.idle();
    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toEqual([{ EventId: expect.any(String) }]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      version: "0",
      id: response.Entries![0]!.EventId,
      source: EVENT_SOURCE,
      "detail-type": DETAIL_TYPE,
      time: "2017-12-22T18:43:48Z",
      region: "us-east-1",
      resources: [],
      detail: { orderId: ORDER_ID, status: "paid" },
    });
    expect(messages(logLines, "eventbridge.match")).toEqual([
      expect.objectContaining({ rule: "OrderStatusToCallback", orderId: ORDER_ID }),
    ]);
    expect(messages(logLines, "eventbridge.delivery")).toEqual([
      expect.objectContaining({ outcome: "succeeded", attempt: 1, orderId: ORDER_ID }),
    ]);
  });

  it("answers before the target has finished", async () => {
    // Prepare
    let release!: () => void;
    const targetDone = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const { endpoint, client } = await start({
      target: () =>
        targetDone.then(() => {
          finished = true;
        }),
    });
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: [statusEntry()] }));
    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(finished).toBe(false);
    release();
    await endpoint.idle();
    expect(finished).toBe(true);
  });

  it("does not deliver events the pattern does not match", async () => {
    // Prepare
    const { endpoint, client, received, logLines } = await start();
    const other = { ...statusEntry(), Source: "awsomepets.inventory" };
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: [other] }));
    await endpoint.idle();
    // Assess
    expect(response.FailedEntryCount).toBe(0);
    expect(received).toEqual([]);
    expect(messages(logLines, "eventbridge.unmatched")).toHaveLength(1);
  });

  it("returns per-entry errors and the failed count for a mixed batch", async () => {
    // Prepare
    const { endpoint, client, received } = await start();
    const entries: PutEventsRequestEntry[] = [
      statusEntry("placed"),
      { ...statusEntry(), Detail: "{not json" },
      { ...statusEntry(), Source: undefined },
      statusEntry("paid"),
      { ...statusEntry(), Detail: "[1,2,3]" },
    ];
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: entries }));
    await endpoint.idle();
    // Assess
    expect(response.FailedEntryCount).toBe(3);
    expect(response.Entries).toEqual([
      { EventId: expect.any(String) },
      { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
      { ErrorCode: "InvalidArgument", ErrorMessage: expect.stringContaining("Source") },
      { EventId: expect.any(String) },
      { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." },
    ]);
    expect(received.map((event) => event.detail.status)).toEqual(["placed", "paid"]);
  });

  it("rejects a request with 11 entries as a ValidationException", async () => {
    // Prepare
    const { endpoint, client, received } = await start();
    const entries = Array.from({ length: 11 }, () => statusEntry());
    // Act
    const outcome = client.send(new PutEventsCommand({ Entries: entries }));
    // Assess
    await expect(outcome).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("less than or equal to 10"),
      $metadata: expect.objectContaining({ httpStatusCode: 400 }),
    });
    await endpoint.idle();
    expect(received).toEqual([]);
  });

  it("fails entries for a bus that does not exist, by name or ARN", async () => {
    // Prepare
    const { endpoint, client, received } = await start();
    const entries = [
      { ...statusEntry(), EventBusName: "payments" },
      { ...statusEntry(), EventBusName: `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}` },
    ];
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: entries }));
    await endpoint.idle();
    // Assess
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries![0]).toEqual({
      ErrorCode: "InvalidArgument",
      ErrorMessage: "Event bus payments does not exist.",
    });
    expect(received).toHaveLength(1);
  });

  it("retries a target that throws twice, then succeeds", async () => {
    // Prepare
    const calls: EventBridgeEvent[] = [];
    const target = async (event: EventBridgeEvent) => {
      calls.push(event);
      if (calls.length <= 2) throw new Error(`callback store unavailable (${calls.length})`);
    };
    const { endpoint, client, logLines } = await start({ target });
    // Act
    await client.send(new PutEventsCommand({ Entries: [statusEntry()] }));
    await endpoint.idle();
    // Assess
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((event) => event.id)).size).toBe(1);
    expect(endpoint.deadLetters()).toEqual([]);
    expect(messages(logLines, "eventbridge.retry")).toEqual([
      expect.objectContaining({ nextAttempt: 2, orderId: ORDER_ID, error: "callback store unavailable (1)" }),
      expect.objectContaining({ nextAttempt: 3, orderId: ORDER_ID, error: "callback store unavailable (2)" }),
    ]);
    expect(messages(logLines, "eventbridge.delivery").map((line) => line.outcome)).toEqual([
      "failed",
      "failed",
      "succeeded",
    ]);
  });

  it("dead-letters an event after 1 + retryAttempts failed attempts", async () => {
    // Prepare
    let calls = 0;
    const target = async () => {
      calls++;
      throw new Error("always down");
    };
    const { endpoint, client, logLines } = await start({ target, retryAttempts: 2 });
    // Act
    const response = await client.send(new PutEventsCommand({ Entries: [statusEntry()] }));
    await endpoint.idle();
    const overHttp: unknown = await (await fetch(`${endpoint.url}/dead-letters`)).json();
    // Assess
    expect(calls).toBe(3);
    const deadLetters = endpoint.deadLetters();
    expect(deadLetters).toEqual([
      {
        ruleName: "OrderStatusToCallback",
        event: expect.objectContaining({
          id: response.Entries![0]!.EventId,
          detail: expect.objectContaining({ orderId: ORDER_ID }),
        }),
        attempts: 3,
        lastError: "always down",
        reason: "RetryAttemptsExhausted",
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    expect(overHttp).toEqual(deadLetters);
    expect(messages(logLines, "eventbridge.dead-letter")).toEqual([
      expect.objectContaining({ attempts: 3, orderId: ORDER_ID }),
    ]);
  });

  it("gives up early when a retry would exceed the maximum event age", async () => {
    // Prepare
    let calls = 0;
    const target = async () => {
      calls++;
      throw new Error("down");
    };
    const { endpoint, client } = await start({
      target,
      retryAttempts: 5,
      maximumEventAgeSeconds: 0.05,
      retryBaseDelayMs: 200,
    });
    // Act
    await client.send(new PutEventsCommand({ Entries: [statusEntry()] }));
    await endpoint.idle();
    // Assess
    expect(calls).toBe(1);
    expect(endpoint.deadLetters()).toEqual([
      expect.objectContaining({ attempts: 1, reason: "MaximumEventAgeExceeded" }),
    ]);
  });

  it("close() stops the server and cancels waiting retries", async () => {
    // Prepare
    let calls = 0;
    let firstCall!: () => void;
    const firstCallMade = new Promise<void>((resolve) => (firstCall = resolve));
    const target = async () => {
      calls++;
      firstCall();
      throw new Error("down");
    };
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const { endpoint, client } = await start({ target, retryBaseDelayMs: 60_000 });
    await client.send(new PutEventsCommand({ Entries: [statusEntry()] }));
    await firstCallMade;
    await new Promise((resolve) => setImmediate(resolve));
    client.destroy();
    // Act
    await endpoint.close();
    await endpoint.idle();
    // Assess
    expect(calls).toBe(1);
    expect(endpoint.deadLetters()).toEqual([]);
    await expect(fetch(`${endpoint.url}/dead-letters`)).rejects.toThrow();
    expect(process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length).toBeLessThanOrEqual(
      timersBefore,
    );
  });
});

describe("local EventBridge endpoint over plain HTTP", () => {
  const post = (url: string, body: string, target = "AWSEvents.PutEvents") =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
      body,
    });

  it("answers unknown operations, bad JSON and oversized bodies with errors and keeps serving", async () => {
    // Prepare
    const { endpoint } = await start();
    // Act
    const unknown = await post(endpoint.url, "{}", "AWSEvents.ListRules");
    const badJson = await post(endpoint.url, "{oops");
    const oversized = await post(endpoint.url, JSON.stringify({ Entries: [{ Detail: "x".repeat(1024 * 1024) }] }));
    const afterwards = await post(endpoint.url, JSON.stringify({ Entries: [statusEntry()] }));
    // Assess
    expect([
      unknown.status,
      unknown.headers.get("x-amzn-errortype"),
      ((await unknown.json()) as { __type: string }).__type,
    ]).toEqual([400, "UnknownOperationException", "UnknownOperationException"]);
    expect([badJson.status, badJson.headers.get("x-amzn-errortype")]).toEqual([400, "SerializationException"]);
    expect(oversized.status).toBe(413);
    expect([afterwards.status, await afterwards.json()]).toEqual([
      200,
      { FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] },
    ]);
    await endpoint.idle();
  });
});

/** The AWS CLI, if installed: /usr/bin/aws or any `aws` on PATH. */
function findAwsCli(): string | undefined {
  const candidates = [
    "/usr/bin/aws",
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, "aws")),
  ];
  return candidates.find((candidate) => existsSync(candidate));
}
const awsCli = findAwsCli();

describe("local EventBridge endpoint with the AWS CLI", () => {
  it.skipIf(!awsCli)("accepts `aws events put-events --endpoint-url`", async () => {
    // Prepare
    const { endpoint, received } = await start();
    const entries = JSON.stringify([{ ...statusEntry("completed"), Time: "2016-01-14T01:02:03Z" }]);
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    };
    // Act: asynchronously, so the endpoint in this process can answer.
    const { stdout } = await promisify(execFile)(
      awsCli!,
      ["events", "put-events", "--endpoint-url", endpoint.url, "--entries", entries, "--output", "json"],
      { env, timeout: 20_000 },
    );
    await endpoint.idle();
    // Assess
    expect(JSON.parse(stdout)).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    expect(received).toEqual([
      expect.objectContaining({
        time: "2016-01-14T01:02:03Z",
        detail: expect.objectContaining({ status: "completed", orderId: ORDER_ID }),
      }),
    ]);
  });
});
