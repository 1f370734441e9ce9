/** OrderWSAuthorizerFunction: allows `$connect` with the order's id as context; the token is `$connect`'s to check. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Topology } from "@awsomepets/core/index";
import { handler } from "../src/websocket/authorizer";

const METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/dev/$connect";
const authorizerEvent = (query: Record<string, string> | null) => ({
  type: "REQUEST",
  methodArn: METHOD_ARN,
  headers: { Host: "abcdef1234.execute-api.eu-west-1.amazonaws.com" },
  queryStringParameters: query,
  multiValueQueryStringParameters: query && Object.fromEntries(Object.entries(query).map(([name, value]) => [name, [value]])),
  stageVariables: {},
  requestContext: { routeKey: "$connect", eventType: "CONNECT", connectionId: "abc=" },
});
const statement = (effect: "Allow" | "Deny") => ({ Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: METHOD_ARN }] });

describe("OrderWSAuthorizerFunction ($connect's authorizer)", () => {
  it("allows $connect and returns the order's id as context, whatever the token", async () => {
    // Prepare
    const orderId = randomUUID();
    // Act
    const result = await handler(authorizerEvent({ orderId, token: "not checked here" }));
    // Assess
    expect(result).toEqual({ principalId: orderId, policyDocument: statement("Allow"), context: { orderId } });
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
    expect(result).toEqual({ principalId: "anonymous", policyDocument: statement("Deny"), context: {} });
  });

  it("throws for an event without a methodArn (API Gateway answers 500)", async () => {
    await expect(handler({ queryStringParameters: { orderId: randomUUID() } })).rejects.toThrow(/Malformed authorizer event/);
  });
});
