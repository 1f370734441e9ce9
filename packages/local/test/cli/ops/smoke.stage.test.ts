/**
 * `npm run smoke -- --stage`'s parts that talk to AWS, with AWS stubbed (the only mock allowed): the
 * CloudWatch DescribeAlarms through the SDK client (JSON 1.0 protocol) against a local HTTP stand-in, and the health
 * checks' verdicts on what the stage's queues and alarms answer.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { explainAwsError } from "../../../src/cli/aws-error-message";
import { describeAlarmsNotifying } from "../../../src/cli/ops/cloudwatch-alarms";
import { runChecks } from "../../../src/cli/ops/smoke-checks";
import { SmokeReport, SmokeStopped } from "../../../src/cli/ops/smoke-report";
import { refuseIfDeployedKeepingData, type SmokeTarget } from "../../../src/cli/ops/smoke-target";
import { UsageError } from "../../../src/cli/cli-errors";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:dev-awsomepets-callbacks-Callbacks-OperatorAlarmTopic-AbC";
const CREDENTIALS = async () => ({ accessKeyId: "AKIDSMOKE", secretAccessKey: "secret", sessionToken: "session" });

/** A DescribeAlarms answer in the JSON 1.0 protocol the SDK speaks to CloudWatch. */
const alarmsPage = (alarms: Array<[string, string]>, NextToken?: string) =>
  JSON.stringify({
    MetricAlarms: alarms.map(([AlarmName, StateValue]) => ({
      AlarmName,
      AlarmActions: [TOPIC],
      Dimensions: [{ Name: "QueueName", Value: "q" }],
      StateValue,
      StateReason: "Threshold Crossed: 1 datapoint [2.0] was >= the threshold (1.0).",
    })),
    ...(NextToken && { NextToken }),
  });

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

type CloudWatchAnswer = { status: number; body: string; headers?: Record<string, string> };

/** CloudWatch's stand-in: records each request (headers, JSON body), answers from `answer`. */
async function cloudWatch(answer: (input: Record<string, unknown>) => CloudWatchAnswer) {
  const requests: Array<{ headers: IncomingMessage["headers"]; input: Record<string, unknown> }> = [];
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (d) => (body += d));
    request.on("end", () => {
      const input = JSON.parse(body) as Record<string, unknown>;
      requests.push({ headers: request.headers, input });
      const reply = answer(input);
      response
        .writeHead(reply.status, { "content-type": "application/x-amz-json-1.0", ...reply.headers })
        .end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { requests, config: { region: "eu-west-1", endpoint, credentials: CREDENTIALS, maxAttempts: 1 } };
}

describe("DescribeAlarms through the CloudWatch SDK client", () => {
  it("asks for the alarms notifying the topic, signed for monitoring in the region, every page", async () => {
    const { requests, config } = await cloudWatch((input) =>
      input.NextToken === "page-2"
        ? { status: 200, body: alarmsPage([["dev-Orders-BillGuard-1", "INSUFFICIENT_DATA"]]) }
        : {
            status: 200,
            body: alarmsPage(
              [
                ["dev-Callbacks-DLQ<1>", "OK"],
                ["dev-Callbacks-Errors-2", "ALARM"],
              ],
              "page-2",
            ),
          },
    );
    const alarms = await describeAlarmsNotifying({ topicArn: TOPIC, config });
    expect(alarms).toEqual([
      { name: "dev-Callbacks-DLQ<1>", state: "OK" },
      { name: "dev-Callbacks-Errors-2", state: "ALARM" },
      { name: "dev-Orders-BillGuard-1", state: "INSUFFICIENT_DATA" },
    ]);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers["x-amz-target"]).toBe("GraniteServiceVersion20100801.DescribeAlarms");
    expect(requests[0]!.input).toEqual({ ActionPrefix: TOPIC, MaxRecords: 100 });
    expect(requests[1]!.input.NextToken).toBe("page-2");
    expect(requests[0]!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSMOKE\/\d{8}\/eu-west-1\/monitoring\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
    );
    expect(requests[0]!.headers["x-amz-security-token"]).toBe("session");
  });

  it("turns an error answer into an error named by its code, which the command explains in one line", async () => {
    const { config } = await cloudWatch(() => ({
      status: 400,
      headers: { "x-amzn-query-error": "AccessDenied;Sender" },
      body: JSON.stringify({
        __type: "com.amazon.coral.service#AccessDeniedException",
        message: "User is not authorized to perform: cloudwatch:DescribeAlarms",
      }),
    }));
    const error = await describeAlarmsNotifying({ topicArn: TOPIC, config }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: expect.stringMatching(/^AccessDenied/) });
    expect(explainAwsError(error, { region: "eu-west-1" })).toBe(
      "Access denied by AWS in eu-west-1 (User is not authorized to perform: cloudwatch:DescribeAlarms)",
    );
  });

  it("stops with an error when CloudWatch hands back a NextToken it gave before", async () => {
    // page-1 -> page-2 -> page-1 again: the SDK's paginator stops only on the same token twice in a row
    const { requests, config } = await cloudWatch((input) => ({
      status: 200,
      body: alarmsPage([["a", "OK"]], input.NextToken === "page-1" ? "page-2" : "page-1"),
    }));
    await expect(describeAlarmsNotifying({ topicArn: TOPIC, config })).rejects.toThrow(/NextToken "page-1" twice/);
    expect(requests).toHaveLength(3);
  });

  it("gives up on a CloudWatch that accepts the request and never answers", async () => {
    server = createServer(() => {}); // holds every request open
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = { region: "eu-west-1", endpoint, credentials: CREDENTIALS, maxAttempts: 1 };
    await expect(describeAlarmsNotifying({ topicArn: TOPIC, config, requestTimeoutMs: 300 })).rejects.toMatchObject({
      name: "TimeoutError",
    });
    server.closeAllConnections();
  });
});

describe("the health checks before the run", () => {
  const target = (over: Partial<SmokeTarget>): SmokeTarget => ({
    describe: "stage dev in eu-west-1",
    apiUrl: "https://api.invalid",
    websocketUrl: "wss://ws.invalid/dev",
    clientCallbackTable: "t",
    dynamodbConfig: { region: "eu-west-1" },
    managementConfig: { endpoint: "https://ws.invalid/dev" },
    deadLetters: async () => [
      { queue: "dev-OrderStatusCallbackDLQ", messages: 0 },
      { queue: "dev-OrderStatusProjectionDLQ", messages: 0 },
    ],
    alarms: async () => [],
    refuseIfKeepsData: async () => {},
    close: () => {},
    ...over,
  });
  const run = async (t: SmokeTarget) => {
    const lines: string[] = [];
    const stopped = await runChecks(t, new SmokeReport((l) => lines.push(l)), { probeThrottle: false }).catch(
      (e: unknown) => e,
    );
    expect(stopped).toBeInstanceOf(SmokeStopped);
    return lines;
  };

  it("a message in a dead-letter queue fails the run before any order is placed", async () => {
    const lines = await run(
      target({
        deadLetters: async () => [
          { queue: "dev-OrderStatusCallbackDLQ", messages: 2 },
          { queue: "dev-OrderStatusProjectionDLQ", messages: 0 },
        ],
      }),
    );
    expect(lines).toEqual([
      "FAIL dead-letters-before: the dead-letter queues are empty before the run — dev-OrderStatusCallbackDLQ: 2, dev-OrderStatusProjectionDLQ: 0 (npm run redrive -- --dry-run lists them)",
    ]);
  });

  it("an alarm in ALARM fails it, named; none found at all fails it too", async () => {
    const firing = await run(
      target({
        alarms: async () => [
          { name: "dev-Errors-1", state: "OK" },
          { name: "dev-Throttles-2", state: "ALARM" },
        ],
      }),
    );
    expect(firing.at(-1)).toBe(
      "FAIL alarms-before: no alarm of the stage is firing before the run — in ALARM: dev-Throttles-2",
    );
    const none = await run(target({}));
    expect(none.at(-1)).toMatch(/^FAIL alarms-before: .* — no alarm notifies the stage's AlarmTopicArn/);
  });

  it("alarms without data yet are not firing: the run goes on to place its orders", async () => {
    const lines = await run(
      target({
        alarms: async () => [
          { name: "a", state: "OK" },
          { name: "b", state: "INSUFFICIENT_DATA" },
        ],
      }),
    );
    expect(lines[1]).toBe(
      "PASS alarms-before: no alarm of the stage is firing before the run — 2 alarms: 1 OK, 1 INSUFFICIENT_DATA",
    );
    // The order API is unreachable here (.invalid): the next check fails on it, named.
    expect(lines[2]).toMatch(/^FAIL orders-placed: /);
  });
});

describe("--probe-throttle on a stage the shell calls disposable", () => {
  const refuse = (answer: { DeletionProtectionEnabled?: boolean } | undefined) =>
    refuseIfDeployedKeepingData(async (table) => (table === "dev-ClientCallbackTbl" ? answer : undefined), {
      table: "dev-ClientCallbackTbl",
      stage: "dev",
      why: "--probe-throttle",
    });

  it("is refused when the stage's table was deployed with deletion protection, or says nothing", async () => {
    await expect(refuse({ DeletionProtectionEnabled: true })).rejects.toThrow(UsageError);
    await expect(refuse({ DeletionProtectionEnabled: true })).rejects.toThrow(
      /refused, stage dev was deployed keeping its data/,
    );
    await expect(refuse({})).rejects.toThrow(UsageError);
  });

  it("runs on a stage deployed disposable (no deletion protection)", async () => {
    await expect(refuse({ DeletionProtectionEnabled: false })).resolves.toBeUndefined();
  });
});
