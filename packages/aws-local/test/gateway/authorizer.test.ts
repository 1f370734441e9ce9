/**
 * `$connect`'s Lambda REQUEST authorizer: its verdicts as API Gateway answers them, and its context on
 * every later route of the connection. The functions run in the Lambda pool's execution environments
 * (with their timeouts); the gateway's `invoke` only records each event on the way.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { createFunctionPool, type FunctionConfiguration } from "../../src/lambda/pool";
import { startWebSocketGateway, type RouteLogRecord } from "../../src/gateway/index";
import type { RouteThrottleSettings } from "../../src/throttle";
import type { EdgeOptions } from "../../src/edge-rate-limit";
import { ROUTE_SELECTION_EXPRESSION, WEBSOCKET_ROUTES } from "../support/fixtures";
import { openClient, refusedHandshake, STAGE, type RecordedCall } from "../support/gateway";

const MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), "handlers", "authorizer.ts");
const AUTHORIZER = "OrderWSAuthorizerFunction";
const fn = (exportName: string, timeoutMs = 5_000): FunctionConfiguration => ({
  modulePath: MODULE,
  exportName,
  timeoutMs,
  memoryMB: 128,
  environment: () => ({}),
});

async function startGateway(
  throttles?: RouteThrottleSettings,
  more: { identitySource?: string[]; edge?: EdgeOptions; originPort?: number } = {},
) {
  const pool = createFunctionPool({
    functions: {
      [AUTHORIZER]: fn("authorize", 1_000),
      ...Object.fromEntries(Object.values(WEBSOCKET_ROUTES).map((name) => [name, fn("route")])),
    },
    log: () => {},
    onConsole: () => {},
  });
  const calls: RecordedCall[] = [];
  const logs: RouteLogRecord[] = [];
  const gateway = await startWebSocketGateway({
    port: 0,
    stage: STAGE,
    routes: WEBSOCKET_ROUTES,
    routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    authorizer: {
      functionName: AUTHORIZER,
      identitySource: more.identitySource ?? ["route.request.querystring.orderId"],
    },
    ...(more.edge && { edge: more.edge }),
    ...(more.originPort !== undefined && { originPort: more.originPort }),
    region: "eu-west-1",
    accountId: "123456789012",
    invoke: (functionName, event) => {
      calls.push({ functionName, event });
      return pool.invoke(functionName, event);
    },
    log: (record) => logs.push(record),
    throttles,
  });
  onTestFinished(async () => {
    await gateway.close();
    await pool.close();
  });
  const callsOf = (functionName: string) => calls.filter((call) => call.functionName === functionName);
  return { gateway, calls, callsOf, logs };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it("invokes the authorizer with the upgrade's request, and gives its context to $connect, messages and $disconnect", async () => {
  // Prepare
  const { gateway, calls, callsOf, logs } = await startGateway();

  // Act
  const client = await openClient(`${gateway.url}?orderId=o-1`);
  client.socket.send(JSON.stringify({ action: "sync" }));
  client.socket.send("not json");
  await until(
    () => calls.filter((call) => call.event.requestContext.eventType === "MESSAGE").length === 2,
    "both messages",
  );
  client.socket.close();
  await until(() => calls.some((call) => call.event.requestContext.eventType === "DISCONNECT"), "$disconnect");

  // Assess: the authorizer saw $connect's request, with the ARN of $connect.
  const [authorizerCall] = callsOf(AUTHORIZER);
  const { event } = authorizerCall!;
  const connect = calls.find(
    (call) => call.event.requestContext.eventType === "CONNECT" && call.functionName !== AUTHORIZER,
  )!;
  expect(callsOf(AUTHORIZER)).toHaveLength(1);
  expect(event).toMatchObject({
    type: "REQUEST",
    methodArn: `arn:aws:execute-api:eu-west-1:123456789012:${connect.event.requestContext.apiId}/${STAGE}/$connect`,
    queryStringParameters: { orderId: "o-1" },
    multiValueQueryStringParameters: { orderId: ["o-1"] },
    headers: connect.event.headers,
    multiValueHeaders: connect.event.multiValueHeaders,
    stageVariables: {},
  });
  expect(event.requestContext).toEqual({ ...connect.event.requestContext, authorizer: undefined });
  // Every route of the connection got the same context, its values as strings.
  const authorizer = { principalId: "customer", orderId: "o-1", attempt: "1", trusted: "true" };
  const routes = calls.filter((call) => call.functionName !== AUTHORIZER).map((call) => call.event.requestContext);
  expect(routes.map((context) => context.routeKey)).toEqual(["$connect", "sync", "$default", "$disconnect"]);
  for (const context of routes) expect(context.authorizer).toEqual(authorizer);
  expect(logs.filter((record) => record.functionName === AUTHORIZER)).toEqual([
    expect.objectContaining({ route: "$connect", status: 200 }),
  ]);
});

it.each([
  ["its policy denies $connect", "deny", 403, "Forbidden"],
  ["its policy allows another route only", "other-route", 403, "Forbidden"],
  ["it throws Unauthorized", "unauthorized", 401, "Unauthorized"],
  ["it throws another error", "throw", 500, "Internal server error"],
  ["its context holds an object", "nested", 500, "Internal server error"],
  ["it runs past its timeout", "hang", 500, "Internal server error"],
])("answers when %s (?answer=%s) with %i, and never runs $connect", async (_case, answer, statusCode, message) => {
  // Prepare
  const { gateway, callsOf, logs } = await startGateway();

  // Act
  const refusal = await refusedHandshake(`${gateway.url}?orderId=o-1&answer=${answer}`);

  // Assess: the log says what the client was answered, and why.
  expect(refusal.statusCode).toBe(statusCode);
  expect(logs).toEqual([
    expect.objectContaining({
      route: "$connect",
      functionName: AUTHORIZER,
      status: statusCode,
      error: expect.any(String),
    }),
  ]);
  expect(JSON.parse(refusal.body)).toEqual({ message });
  expect(callsOf(AUTHORIZER)).toHaveLength(1);
  expect(callsOf(WEBSOCKET_ROUTES.$connect)).toEqual([]);
  expect(gateway.connections()).toEqual([]);
});

it.each([
  ["no query", ""],
  ["an empty identity source", "?orderId="],
  ["another parameter only", "?token=t"],
])("answers %s with 401 without invoking the authorizer", async (_case, query) => {
  // Prepare
  const { gateway, calls } = await startGateway();

  // Act
  const refusal = await refusedHandshake(`${gateway.url}${query}`);

  // Assess
  expect(refusal.statusCode).toBe(401);
  expect(JSON.parse(refusal.body)).toEqual({ message: "Unauthorized" });
  expect(calls).toEqual([]);
});

it("takes $connect's throttle once per upgrade, before the authorizer: a throttled one invokes nothing", async () => {
  // Prepare: room for one $connect request, refilled far too slowly for a second.
  const { gateway, callsOf } = await startGateway({ routes: { $connect: { rateLimit: 0.001, burstLimit: 1 } } });

  // Act
  await openClient(`${gateway.url}?orderId=o-1`);
  const refusal = await refusedHandshake(`${gateway.url}?orderId=o-2`);

  // Assess: the first upgrade ran the authorizer and $connect on one token; the second neither.
  expect(refusal.statusCode).toBe(429);
  expect(JSON.parse(refusal.body)).toEqual({ message: "Too Many Requests" });
  expect(callsOf(AUTHORIZER)).toHaveLength(1);
  expect(callsOf(WEBSOCKET_ROUTES.$connect)).toHaveLength(1);
});

describe("a header identity source (the edge's, as Topology.WEBSOCKET_AUTHORIZER declares it)", () => {
  const HEADER_SOURCES = ["route.request.querystring.orderId", "route.request.header.x-origin-verify"];
  /** An edge that admits everyone and adds its origin header, as CloudFront does. */
  const EDGE: EdgeOptions = {
    admit: () => ({ allowed: true }),
    refusal: { statusCode: 429, contentType: "application/json", body: "{}", headers: {} },
    originHeaders: { "x-origin-verify": "the-edge-value-0123456789" },
  };

  it.each([
    ["without the header", {}],
    ["with the header empty", { "x-origin-verify": "" }],
  ])("answers an upgrade %s 401 without invoking the authorizer", async (_case, headers) => {
    const { gateway, calls } = await startGateway(undefined, { identitySource: HEADER_SOURCES });
    const refusal = await refusedHandshake(`${gateway.url}?orderId=o-1`, headers);
    expect(refusal.statusCode).toBe(401);
    expect(calls).toEqual([]);
  });

  it("invokes the authorizer when the header is there, whatever its spelling, and passes it on", async () => {
    const { gateway, callsOf } = await startGateway(undefined, { identitySource: HEADER_SOURCES });
    await openClient(`${gateway.url}?orderId=o-1`, { "X-Origin-Verify": "anything" });
    expect(callsOf(AUTHORIZER)).toHaveLength(1);
    expect((callsOf(AUTHORIZER)[0]!.event as { headers: Record<string, string> }).headers["X-Origin-Verify"]).toBe(
      "anything",
    );
  });

  it("gets the header from the edge, which replaces a client's own, while the origin port skips the edge and is refused", async () => {
    const { gateway, callsOf } = await startGateway(undefined, {
      identitySource: HEADER_SOURCES,
      edge: EDGE,
      originPort: 0,
    });
    // Through the edge: the edge's value, never the client's forged one.
    await openClient(`${gateway.url}?orderId=o-1`, { "X-Origin-Verify": "forged" });
    const headers = (callsOf(AUTHORIZER)[0]!.event as { headers: Record<string, string> }).headers;
    expect(Object.entries(headers).filter(([name]) => name.toLowerCase() === "x-origin-verify")).toEqual([
      ["x-origin-verify", "the-edge-value-0123456789"],
    ]);
    // Around it: no header, 401, no invocation.
    const refusal = await refusedHandshake(`${gateway.originUrl}?orderId=o-2`);
    expect(refusal.statusCode).toBe(401);
    expect(callsOf(AUTHORIZER)).toHaveLength(1);
  });
});

it("refuses to start with an identity source it cannot read", async () => {
  await expect(
    startWebSocketGateway({
      port: 0,
      stage: STAGE,
      routes: WEBSOCKET_ROUTES,
      routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
      authorizer: { functionName: AUTHORIZER, identitySource: ["stageVariables.key"] },
      invoke: async () => ({}),
    }),
  ).rejects.toThrow(/Unsupported identity source stageVariables.key/);
});
