/**
 * OrderWSAuthorizerFunction: allows `$connect` with the order's id as context when the upgrade came
 * through the edge (its header, core's platform/origin-verify.ts); the token is `$connect`'s to check.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import { ORIGIN_VERIFY, throughTheEdge } from "../support/events";
import { handler } from "../../src/websocket/authorizer";

// Before the handler modules load: their logger reads the level once.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
});
const METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/dev/$connect";
const HOST = { Host: "abcdef1234.execute-api.eu-west-1.amazonaws.com" };
const authorizerEvent = (
  query: Record<string, string> | null,
  headers: Record<string, string> = throughTheEdge(HOST),
) => ({
  type: "REQUEST",
  methodArn: METHOD_ARN,
  headers,
  queryStringParameters: query,
  multiValueQueryStringParameters:
    query && Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
  stageVariables: {},
  requestContext: { routeKey: "$connect", eventType: "CONNECT", connectionId: "abc=" },
});
const statement = (effect: "Allow" | "Deny") => ({
  Version: "2012-10-17",
  Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: METHOD_ARN }],
});
const DENIED = { principalId: "anonymous", policyDocument: statement("Deny"), context: {} };

beforeAll(() => {
  process.env[Topology.ENV.originVerify] = ORIGIN_VERIFY;
});

describe("OrderWSAuthorizerFunction ($connect's authorizer)", () => {
  it("allows $connect and returns the order's id as context, whatever the token", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const result = await handler(authorizerEvent({ orderId, token: "not checked here" }));
    // Assess
    expect(result).toEqual({ principalId: orderId, policyDocument: statement("Allow"), context: { orderId } });
  });

  it("takes the edge's header whatever its spelling (API Gateway keeps the sender's)", async () => {
    const orderId = randomUUID();
    const result = await handler(authorizerEvent({ orderId }, { ...HOST, "X-Origin-Verify": ORIGIN_VERIFY }));
    expect(result).toMatchObject({ principalId: orderId, policyDocument: statement("Allow") });
  });

  it.each([
    ["an empty order id", { orderId: "" }],
    ["an order id too long to be one", { orderId: "x".repeat(Topology.WEBSOCKET_AUTHORIZER.maxOrderIdLength + 1) }],
    ["an order id that is not a UUID", { orderId: "not-a-uuid" }],
    ["a UUID with something after it", { orderId: `${randomUUID()}x` }],
    ["no order id", { token: "t" }],
    ["no query at all", null],
  ])("denies %s", async (_name, query) => {
    // Act
    const result = await handler(authorizerEvent(query));
    // Assess
    expect(result).toEqual(DENIED);
  });

  it.each([
    ["a wrong edge value", { ...HOST, [OriginVerify.HEADER]: "guessed-guessed-guessed-guessed" }],
    ["the edge value with something after it", { ...HOST, [OriginVerify.HEADER]: `${ORIGIN_VERIFY}x` }],
    ["an empty edge value", { ...HOST, [OriginVerify.HEADER]: "" }],
    ["no edge header (API Gateway answers 401 first; denied all the same)", HOST],
  ])("denies (403) %s, with a valid order id", async (_name, headers) => {
    const result = await handler(authorizerEvent({ orderId: randomUUID() }, headers));
    expect(result).toEqual(DENIED);
  });

  it("requires the edge's header as an identity source, so API Gateway answers 401 without invoking it", () => {
    expect(Topology.WEBSOCKET_AUTHORIZER.identitySource).toContain(`route.request.header.${OriginVerify.HEADER}`);
  });

  it("throws for an event without a methodArn (API Gateway answers 500)", async () => {
    await expect(handler({ queryStringParameters: { orderId: randomUUID() } })).rejects.toThrow(
      /Malformed authorizer event/,
    );
  });
});
