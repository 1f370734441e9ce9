/**
 * The way around the edge, closed on `npm start` as on a stage: the local edge adds its header to
 * every request it admits (as CloudFront adds the stage's), and the functions refuse a request that
 * lacks it. `runtime.origins` are the APIs as reached around the edge — a stage's execute-api URLs —
 * where `POST /orders` is answered 403 and a WebSocket upgrade 401 (no header: API Gateway's identity
 * source rule) or 403 (a forged one: the authorizer denies), while the same requests through the edge work.
 */
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import { openSocket, startTestRuntime } from "@test-support/local-runtime";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(() => runtime.close());

const ORDER = JSON.stringify({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});
const FORGED = { [OriginVerify.HEADER]: "forged-forged-forged-forged-forged" };

const post = async (base: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: ORDER,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** The status an upgrade is answered with (101 if the socket opened; it is closed at once). */
const upgradeStatus = (url: string, headers: Record<string, string> = {}) =>
  new Promise<number>((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => {
      socket.close();
      resolve(101);
    });
    socket.once("error", () => {});
  });

const placedOrders = () =>
  runtime.records.filter(
    (record) => record.message === "POST /orders → CreateOrderFunction" && record.statusCode === 202,
  ).length;

it("places an order through the edge, a forged header notwithstanding (the edge replaces it)", async () => {
  expect(await post(runtime.state.endpoints.http)).toMatchObject({ status: 202 });
  expect(await post(runtime.state.endpoints.http, FORGED)).toMatchObject({ status: 202 });
});

it("refuses POST /orders around the edge with 403 and the API's Problem body, placing nothing", async () => {
  const before = placedOrders();
  expect(await post(runtime.origins.http)).toEqual({ status: 403, body: { message: "Forbidden" } });
  expect(await post(runtime.origins.http, FORGED)).toEqual({ status: 403, body: { message: "Forbidden" } });
  expect(placedOrders()).toBe(before);
});

it("opens an order's socket through the edge, and refuses the same link around it (401 without the header, 403 forged)", async () => {
  // Prepare: a real order and its link, through the edge.
  const placed = await post(runtime.state.endpoints.http);
  const link = placed.body.clientCallbackUrl as string;
  expect(link.startsWith(runtime.state.endpoints.websocket)).toBe(true);
  const aroundTheEdge = runtime.origins.websocket + link.slice(runtime.state.endpoints.websocket.length);

  // Act and assess: through the edge it opens and is told the order's status.
  const socket = await openSocket(link);
  socket.send({ action: "sync", after: 0 });
  expect((await socket.next(1))[0]).toMatchObject({ type: "status" });
  socket.close();
  expect(await upgradeStatus(aroundTheEdge)).toBe(401);
  expect(await upgradeStatus(aroundTheEdge, FORGED)).toBe(403);
  const authorizerRuns = runtime.records.filter((record) => record.message === "$connect → OrderWSAuthorizerFunction");
  // The upgrade without the header never ran the authorizer: one run through the edge, one for the forged value.
  expect(authorizerRuns.map((record) => record.statusCode)).toEqual([200, 403]);
});
