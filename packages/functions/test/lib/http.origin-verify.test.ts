/**
 * The order API's routes that cost (`POST /orders`, `GET /orders/{id}`) refuse a request that went
 * around the edge — no edge header, or a wrong one — with 403 and the API's Problem body, before
 * anything is read, stored or started; with the edge's value they go on to their own checks.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import { ORIGIN_VERIFY, throughTheEdge } from "../support/events";
import { handler as createOrder } from "../../src/orders/create-order";
import { handler as getOrder } from "../../src/orders/get-order";

// Before the handler modules load: their logger reads the level once.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "SILENT";
});
const httpEvent = (headers: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  version: "2.0",
  routeKey: "POST /orders",
  rawPath: "/orders",
  headers,
  requestContext: { http: { method: "POST", path: "/orders", sourceIp: "203.0.113.9" } },
  isBase64Encoded: false,
  ...extra,
});
const JSON_TYPE = { "content-type": "application/json" };
const order = JSON.stringify({ basket: [{ sku: "DOG-LAB", quantity: 1 }] });

beforeAll(() => {
  // Only the edge's value: a handler that went past its check would need the rest, and fail 500.
  Object.assign(process.env, { [Topology.ENV.originVerify]: ORIGIN_VERIFY, AWS_REGION: "us-east-1" });
  for (const setting of ["ordersTable", "stateMachineArn", "eventBusName", "websocketUrl", "stage"] as const)
    delete process.env[Topology.ENV[setting]];
});

const refusals: [string, Record<string, string>, 401 | 403][] = [
  ["no edge header", JSON_TYPE, 401],
  ["an empty edge header", { ...JSON_TYPE, [OriginVerify.HEADER]: "" }, 401],
  ["a wrong edge value", { ...JSON_TYPE, [OriginVerify.HEADER]: "guessed-guessed-guessed-guessed" }, 403],
];

describe("POST /orders (CreateOrderFunction) around the edge", () => {
  it.each(refusals)("answers 403 with a Problem body to %s, before anything else", async (_name, headers) => {
    const result = await createOrder(httpEvent(headers, { body: order }));
    expect(result).toMatchObject({ statusCode: 403, headers: { "content-type": "application/json" } });
    expect(JSON.parse((result as { body: string }).body)).toEqual({ message: "Forbidden" });
  });

  it("goes on to its own checks with the edge's value (here: an invalid order, 400)", async () => {
    const result = await createOrder(httpEvent(throughTheEdge(JSON_TYPE), { body: JSON.stringify({ basket: [] }) }));
    expect(result).toMatchObject({ statusCode: 400 });
  });
});

describe("GET /orders/{orderId} (GetOrderFunction) around the edge", () => {
  const get = (headers: Record<string, string>) =>
    getOrder(httpEvent(headers, { routeKey: "GET /orders/{orderId}", pathParameters: { orderId: "not-a-uuid" } }));

  it.each(refusals)("answers 403 to %s", async (_name, headers) => {
    expect(await get(headers)).toMatchObject({ statusCode: 403 });
  });

  it("goes on to its own checks with the edge's value (here: a bad order id, 400)", async () => {
    expect(await get(throughTheEdge())).toMatchObject({ statusCode: 400 });
  });
});
