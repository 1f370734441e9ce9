/**
 * placeOrder, getOrder and getCatalogue against the local runtime's order API (`npm start`'s, in this
 * process on free ports): each answer a typed result, refusals with their Problem body, the
 * idempotency key kept for a retry, the Bearer token; an unreachable API and an undocumented status
 * (a plain HTTP server standing in for a proxy) as results too, never a throw.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackUrl, newOrderId, startTestRuntime } from "@test-support/local-runtime";
import {
  DOCUMENTED_REFUSALS,
  getCatalogue,
  getOrder,
  newIdempotencyKey,
  type OrderRequest,
  placeOrder,
} from "../src/order-api";
import { ROOT } from "@test-support/local-runtime";
import { readFileSync } from "node:fs";
import path from "node:path";

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let baseUrl: string;
let proxy: Server;
let proxyUrl: string;
beforeAll(async () => {
  runtime = await startTestRuntime();
  baseUrl = runtime.state.endpoints.http;
  // Answers as a CDN or proxy in front of the API might: statuses the document does not name.
  proxy = createServer((req, res) => {
    if (req.url?.startsWith("/redirect/")) {
      res.writeHead(302, { location: `http://127.0.0.1:9${req.url}` }).end();
      return;
    }
    if (req.url?.startsWith("/malformed/")) {
      const errors = [null, "basket", { path: 1, message: "x" }, { path: "basket", message: "Add a pet." }];
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message: "Bad order", errors }));
      return;
    }
    const status = Number(/^\/(\d{3})\//.exec(req.url ?? "")?.[1] ?? 502); // /<status>/… answers <status>
    res.writeHead(status, { "content-type": "text/html" }).end("<h1>Bad Gateway</h1>");
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await runtime.close();
});

const order = (overrides: Partial<OrderRequest> = {}): OrderRequest => ({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
  ...overrides,
});
const tokenOf = (url: string) => new URL(url).searchParams.get("token")!;

describe("placeOrder", () => {
  it("places an order with a new key, and a retry with that key answers the same order", async () => {
    const first = await placeOrder({ baseUrl, order: order() });
    if (!first.ok) throw new Error(first.problem.message);
    expect(first).toMatchObject({ kind: "placed", status: 202, order: { status: "placed" } });
    expect(first.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);

    const retry = await placeOrder({ baseUrl, order: order(), idempotencyKey: first.idempotencyKey });
    expect(retry).toMatchObject({ ok: true, idempotencyKey: first.idempotencyKey });
    expect(retry.ok && retry.order.orderId).toBe(first.order.orderId);

    const another = await placeOrder({ baseUrl, order: order() });
    expect(another.idempotencyKey).not.toBe(first.idempotencyKey);
    expect(another.ok && another.order.orderId).not.toBe(first.order.orderId);
  });

  it("returns an invalid order as a 400 refusal with the fields at fault", async () => {
    const result = await placeOrder({ baseUrl, order: order({ basket: [{ sku: "NOPE", quantity: 0 }] }) });
    expect(result).toMatchObject({ ok: false, kind: "refused", status: 400, retryable: false });
    expect(!result.ok && result.problem.errors?.map((e) => e.path).sort()).toEqual([
      "basket.0.quantity",
      "basket.0.sku",
    ]);
  });

  it("returns a key reused for another order as a 422 refusal", async () => {
    const first = await placeOrder({ baseUrl, order: order() });
    const reused = await placeOrder({
      baseUrl,
      order: order({ basket: [{ sku: "DOG-LAB", quantity: 2 }] }),
      idempotencyKey: first.idempotencyKey,
    });
    expect(reused).toMatchObject({ ok: false, kind: "refused", status: 422, problem: { message: expect.any(String) } });
  });
});

describe("getOrder", () => {
  it("reads the order with its token, and refuses another order's token with 403", async () => {
    const placed = await placeOrder({ baseUrl, order: order() });
    const other = await placeOrder({ baseUrl, order: order() });
    if (!placed.ok || !other.ok) throw new Error("not placed");
    const { orderId } = placed.order;
    const found = await getOrder({ baseUrl, orderId, token: tokenOf(placed.order.clientCallbackUrl) });
    expect(found).toMatchObject({ ok: true, kind: "found", order: { orderId } });
    expect(found.ok && found.order.history[0]).toMatchObject({ status: "placed" }); // the saga may be further on
    const forbidden = await getOrder({ baseUrl, orderId, token: tokenOf(other.order.clientCallbackUrl) });
    expect(forbidden).toMatchObject({ ok: false, kind: "refused", status: 403, retryable: false });
    expect(!forbidden.ok && forbidden.problem.message).toMatch(/^Forbidden: token is/);
  });

  it("returns an order never placed as 404, and an id that is no UUID as 400", async () => {
    const orderId = newOrderId();
    const token = tokenOf(callbackUrl("wss://h.example/test", orderId));
    expect(await getOrder({ baseUrl, orderId, token })).toMatchObject({ ok: false, kind: "refused", status: 404 });
    expect(await getOrder({ baseUrl, orderId: "not-a-uuid", token })).toMatchObject({ kind: "refused", status: 400 });
  });
});

describe("getCatalogue", () => {
  it("lists the pets", async () => {
    const result = await getCatalogue({ baseUrl: `${baseUrl}/` });
    expect(result.ok && result.pets.map((p) => p.sku)).toContain("DOG-LAB");
  });
});

describe("answers that are not the API's", () => {
  it("returns no answer at all as a retryable network failure, keeping the key for the retry", async () => {
    const key = newIdempotencyKey();
    const result = await placeOrder({ baseUrl: "http://127.0.0.1:9", order: order(), idempotencyKey: key });
    expect(result).toMatchObject({ ok: false, kind: "network", status: 0, retryable: true, idempotencyKey: key });
    expect(!result.ok && result.problem.message).toMatch(/cannot be reached/);
  });

  it("returns an undocumented status as unexpected, a documented one as refused, retryable when it is", async () => {
    expect(await getCatalogue({ baseUrl: proxyUrl })).toMatchObject({
      ok: false,
      kind: "unexpected",
      status: 502,
      problem: { message: "HTTP 502 Bad Gateway" },
      retryable: true,
    });
    const busy = await placeOrder({ baseUrl: `${proxyUrl}/429`, order: order() });
    expect(busy).toMatchObject({ ok: false, kind: "refused", status: 429, retryable: true });
  });

  it("keeps only the field errors of the documented shape from a Problem body", async () => {
    const result = await placeOrder({ baseUrl: `${proxyUrl}/malformed`, order: order() });
    expect(result).toMatchObject({ ok: false, kind: "refused", status: 400 });
    expect(!result.ok && result.problem).toEqual({
      message: "Bad order",
      errors: [{ path: "basket", message: "Add a pet." }],
    });
  });

  it("follows no redirect: the token goes nowhere the caller did not name", async () => {
    const result = await getOrder({ baseUrl: `${proxyUrl}/redirect`, orderId: "o", token: "t" });
    expect(result).toMatchObject({ ok: false, kind: "network", retryable: true });
  });

  it("names every refusal the order API's document names", () => {
    const document = JSON.parse(readFileSync(path.join(ROOT, "docs/contracts/order-api.openapi.json"), "utf8"));
    for (const [op, statuses] of Object.entries(DOCUMENTED_REFUSALS)) {
      const operation = Object.values(document.paths as Record<string, Record<string, any>>)
        .flatMap((item) => Object.values(item))
        .find((o) => o.operationId === op);
      const refusals = Object.keys(operation.responses)
        .map(Number)
        .filter((s) => s >= 400);
      expect([...statuses], op).toEqual(refusals);
    }
  });
});
