/**
 * `npm run smoke -- --stage`'s parts that talk to AWS, with AWS stubbed (the only mock allowed): the
 * signed CloudWatch DescribeAlarms (Query protocol) against a local HTTP stand-in, and the health
 * checks' verdicts on what the stage's queues and alarms answer.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { explainAwsError } from "../../../src/cli/aws-error-message";
import { describeAlarmsNotifying, readDescribeAlarms } from "../../../src/cli/ops/cloudwatch-alarms";
import { runChecks } from "../../../src/cli/ops/smoke-checks";
import { SmokeReport, SmokeStopped } from "../../../src/cli/ops/smoke-report";
import { refuseIfDeployedKeepingData, type SmokeTarget } from "../../../src/cli/ops/smoke-target";
import { UsageError } from "../../../src/cli/cli-errors";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:dev-awsomepets-callbacks-Callbacks-OperatorAlarmTopic-AbC";
const CREDENTIALS = async () => ({ accessKeyId: "AKIDSMOKE", secretAccessKey: "secret", sessionToken: "session" });

const alarmsPage = (alarms: Array<[string, string]>, nextToken?: string) => `<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <DescribeAlarmsResult>
    <MetricAlarms>${alarms
      .map(
        ([name, state]) => `
      <member>
        <AlarmName>${name}</AlarmName>
        <AlarmActions><member>${TOPIC}</member></AlarmActions>
        <Dimensions><member><Name>QueueName</Name><Value>q</Value></member></Dimensions>
        <StateValue>${state}</StateValue>
        <StateReason>Threshold Crossed: 1 datapoint [2.0] was &gt;= the threshold (1.0).</StateReason>
      </member>`,
      )
      .join("")}
    </MetricAlarms>${nextToken ? `\n    <NextToken>${nextToken}</NextToken>` : ""}
  </DescribeAlarmsResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</DescribeAlarmsResponse>`;

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** CloudWatch's stand-in: records each request, answers from `answer`. */
async function cloudWatch(answer: (form: URLSearchParams) => { status: number; body: string }) {
  const requests: Array<{ headers: IncomingMessage["headers"]; form: URLSearchParams }> = [];
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (d) => (body += d));
    request.on("end", () => {
      const form = new URLSearchParams(body);
      requests.push({ headers: request.headers, form });
      const { status, body: xml } = answer(form);
      response.writeHead(status, { "content-type": "text/xml" }).end(xml);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { requests, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("DescribeAlarms over the Query protocol", () => {
  it("asks for the alarms notifying the topic, signed for monitoring in the region, every page", async () => {
    const { requests, endpoint } = await cloudWatch((form) =>
      form.get("NextToken") === "page-2"
        ? { status: 200, body: alarmsPage([["dev-Orders-BillGuard-1", "INSUFFICIENT_DATA"]]) }
        : { status: 200, body: alarmsPage([["dev-Callbacks-DLQ&lt;1&gt;", "OK"], ["dev-Callbacks-Errors-2", "ALARM"]], "page-2") },
    );
    const alarms = await describeAlarmsNotifying({ topicArn: TOPIC, region: "eu-west-1", credentials: CREDENTIALS, endpoint });
    expect(alarms).toEqual([
      { name: "dev-Callbacks-DLQ<1>", state: "OK" },
      { name: "dev-Callbacks-Errors-2", state: "ALARM" },
      { name: "dev-Orders-BillGuard-1", state: "INSUFFICIENT_DATA" },
    ]);
    expect(requests).toHaveLength(2);
    expect(Object.fromEntries(requests[0]!.form)).toEqual({ Action: "DescribeAlarms", Version: "2010-08-01", ActionPrefix: TOPIC, MaxRecords: "100" });
    expect(requests[1]!.form.get("NextToken")).toBe("page-2");
    expect(requests[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSMOKE\/\d{8}\/eu-west-1\/monitoring\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
    expect(requests[0]!.headers["x-amz-security-token"]).toBe("session");
  });

  it("turns an error answer into an error named by its code, which the command explains in one line", async () => {
    const { endpoint } = await cloudWatch(() => ({
      status: 403,
      body: "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudwatch:DescribeAlarms</Message></Error></ErrorResponse>",
    }));
    const error = await describeAlarmsNotifying({ topicArn: TOPIC, region: "eu-west-1", credentials: CREDENTIALS, endpoint }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AccessDenied" });
    expect(explainAwsError(error, { region: "eu-west-1" })).toBe("Access denied by AWS in eu-west-1 (User is not authorized to perform: cloudwatch:DescribeAlarms)");
  });

  it("refuses an answer whose names and states do not pair up", () => {
    expect(() => readDescribeAlarms("<AlarmName>a</AlarmName>")).toThrow(/1 alarm names but 0 states/);
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
    const stopped = await runChecks(t, new SmokeReport((l) => lines.push(l)), { probeThrottle: false }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(SmokeStopped);
    return lines;
  };

  it("a message in a dead-letter queue fails the run before any order is placed", async () => {
    const lines = await run(target({ deadLetters: async () => [{ queue: "dev-OrderStatusCallbackDLQ", messages: 2 }, { queue: "dev-OrderStatusProjectionDLQ", messages: 0 }] }));
    expect(lines).toEqual([
      "FAIL dead-letters-before: the dead-letter queues are empty before the run — dev-OrderStatusCallbackDLQ: 2, dev-OrderStatusProjectionDLQ: 0 (npm run redrive -- --dry-run lists them)",
    ]);
  });

  it("an alarm in ALARM fails it, named; none found at all fails it too", async () => {
    const firing = await run(target({ alarms: async () => [{ name: "dev-Errors-1", state: "OK" }, { name: "dev-Throttles-2", state: "ALARM" }] }));
    expect(firing.at(-1)).toBe("FAIL alarms-before: no alarm of the stage is firing before the run — in ALARM: dev-Throttles-2");
    const none = await run(target({}));
    expect(none.at(-1)).toMatch(/^FAIL alarms-before: .* — no alarm notifies the stage's AlarmTopicArn/);
  });

  it("alarms without data yet are not firing: the run goes on to place its orders", async () => {
    const lines = await run(target({ alarms: async () => [{ name: "a", state: "OK" }, { name: "b", state: "INSUFFICIENT_DATA" }] }));
    expect(lines[1]).toBe("PASS alarms-before: no alarm of the stage is firing before the run — 2 alarms: 1 OK, 1 INSUFFICIENT_DATA");
    // The order API is unreachable here (.invalid): the next check fails on it, named.
    expect(lines[2]).toMatch(/^FAIL orders-placed: /);
  });
});

describe("--probe-throttle on a stage the shell calls disposable", () => {
  const refuse = (answer: { DeletionProtectionEnabled?: boolean } | undefined) =>
    refuseIfDeployedKeepingData(async (table) => (table === "dev-ClientCallbackTbl" ? answer : undefined), { table: "dev-ClientCallbackTbl", stage: "dev", why: "--probe-throttle" });

  it("is refused when the stage's table was deployed with deletion protection, or says nothing", async () => {
    await expect(refuse({ DeletionProtectionEnabled: true })).rejects.toThrow(UsageError);
    await expect(refuse({ DeletionProtectionEnabled: true })).rejects.toThrow(/refused, stage dev was deployed keeping its data/);
    await expect(refuse({})).rejects.toThrow(UsageError);
  });

  it("runs on a stage deployed disposable (no deletion protection)", async () => {
    await expect(refuse({ DeletionProtectionEnabled: false })).resolves.toBeUndefined();
  });
});
