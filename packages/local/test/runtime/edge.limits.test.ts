/**
 * The edge's per-address limits on `npm start` (Topology.EDGE_RULES, as the WAF web ACL holds them):
 * one address floods `POST /orders` and `$connect` without pause and is refused 429 at the edge, while
 * a customer at another address places an order and follows it to its end. Without the edge, the
 * flood alone would keep the stage's buckets (22 requests/s, 20 connects/s) empty and refuse the
 * customer too: what issue 23 measured. On Linux every 127.x.y.z is loopback: 127.0.0.2 is the flooder.
 */
import { request } from "node:http";
import WebSocket from "ws";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { followToTerminal } from "../support/follow-order";
import { startTestRuntime } from "@test-support/local-runtime";

const FLOODER = "127.0.0.2";
/**
 * WAF's smallest limit for orders and upgrades rather than the defaults (20 and 200 per 5 minutes):
 * the same rules, reached after fewer upgrades, each of which runs the authorizer and `$connect` on a
 * machine shared by the other suites. The stage throttles are the defaults, as `npm start` enforces them.
 */
const RULES = Tunables.edgeRulesOf({
  edgeOrdersPerAddress: Topology.WAF_MIN_RATE_LIMIT,
  edgeConnectsPerAddress: Topology.WAF_MIN_RATE_LIMIT,
  edgeRequestsPerAddress: 1_000,
});
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
beforeAll(async () => {
  runtime = await startTestRuntime({ edgeRules: RULES, throttles: Topology.API_THROTTLES });
});
afterAll(() => runtime.close());

type Answer = { status: number; body: string };

function postFrom(localAddress: string, body: string) {
  const url = new URL(`${runtime.state.endpoints.http}/orders`);
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: "/orders",
        method: "POST",
        localAddress,
        agent: false,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Opens a socket from `localAddress`; the answer to its upgrade (101 if it opened; it is closed at once). */
function connectFrom(localAddress: string, url: string) {
  return new Promise<Answer>((resolve) => {
    const socket = new WebSocket(url, { localAddress });
    socket.once("unexpected-response", (_req, res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    socket.once("open", () => {
      socket.close();
      resolve({ status: 101, body: "" });
    });
    socket.once("error", () => resolve({ status: 0, body: "" }));
  });
}

/** Sends `send()` with `parallel` in flight until `stop` is set; every answer is kept. */
function flood(send: () => Promise<Answer>, parallel: number) {
  const answers: Answer[] = [];
  let stopped = false;
  const lanes = Array.from({ length: parallel }, async () => {
    while (!stopped) answers.push(await send());
  });
  const stop = async () => {
    stopped = true;
    await Promise.all(lanes);
  };
  return { answers, stop };
}

const ORDER = JSON.stringify({
  basket: [{ sku: "DOG-LAB", quantity: 1 }],
  paymentDetail: { cardToken: "tok_visa" },
  shippingAddress: { name: "Ana Silva", line1: "1 Rua Augusta", city: "Lisboa", postalCode: "1100-048", country: "PT" },
});

it("refuses one address's flood of POST /orders and $connect at the edge while another address orders and follows its order to the end", async () => {
  // Prepare: the flooder, without pause, invalid orders and upgrades without a token (as issue 23 measured)
  const junkSocket = `${runtime.state.endpoints.websocket}?orderId=${crypto.randomUUID()}&token=junk`;
  const orders = flood(() => postFrom(FLOODER, "{}"), 8);
  const connects = flood(() => connectFrom(FLOODER, junkSocket), 8);
  const limits = RULES;
  while (
    orders.answers.length < limits.OrdersPerAddress.limit + 40 ||
    connects.answers.length < limits.ConnectsPerAddress.limit + 40
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  // Act: a customer at 127.0.0.1 while the flood goes on
  const placed = await postFrom("127.0.0.1", ORDER);
  const timeline =
    placed.status === 202 ? await followToTerminal(JSON.parse(placed.body).clientCallbackUrl, 30_000) : undefined;
  await Promise.all([orders.stop(), connects.stop()]);

  // Assess: the customer is served to the end
  expect(placed.status).toBe(202);
  expect(timeline?.terminal?.status).toBe("completed");
  expect(timeline?.hasGap).toBe(false);
  // The flooder got through the edge exactly its limit of POST /orders (each answered by the stage:
  // 400, its body is not an order), then 429 with the edge's body, every time, while it kept on.
  const passed = orders.answers.filter((answer) => answer.status !== 429);
  expect(passed).toHaveLength(limits.OrdersPerAddress.limit);
  expect(passed.every((answer) => answer.status === 400)).toBe(true);
  const refused = orders.answers.filter((answer) => answer.status === 429);
  expect(refused.length).toBeGreaterThanOrEqual(40);
  expect(new Set(refused.map((answer) => answer.body))).toEqual(new Set([Topology.EDGE_REFUSAL.body]));
  expect(orders.answers.slice(-20).every((answer) => answer.status === 429)).toBe(true);
  // Its upgrades: refused at the edge past its limit (never a hang, never a crash: every one answered).
  expect(connects.answers.every((answer) => answer.status !== 0 && answer.status !== 101)).toBe(true);
  expect(
    connects.answers.slice(-20).every((answer) => answer.status === 429 && answer.body === Topology.EDGE_REFUSAL.body),
  ).toBe(true);
  const edgeRefusals = runtime.records.filter((record) => record.error === "edge-rate-limit");
  expect(new Set(edgeRefusals.map((record) => record.sourceIp))).toEqual(new Set([FLOODER]));
  expect(new Set(edgeRefusals.map((record) => record.rule))).toEqual(
    new Set(["OrdersPerAddress", "ConnectsPerAddress"]),
  );
  expect(edgeRefusals.filter((record) => record.rule === "ConnectsPerAddress").length).toBe(
    connects.answers.length - limits.ConnectsPerAddress.limit,
  );
}, 60_000);
