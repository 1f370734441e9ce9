/** The edge's per-address limits and the bill guard, derived from the sizing the stage throttles use. */
import { describe, expect, it } from "vitest";
import * as Topology from "../../src/platform/topology";
import * as Tunables from "../../src/platform/tunables";

describe("the edge's rate-based rules", () => {
  const sizing = Topology.THROTTLE_SIZING;
  const perCustomer = Topology.perCustomerPerWindow();
  const { customersPerAddress, headroom, windowSeconds } = Topology.EDGE_SIZING;

  it("are one window's use of a customer × the customers behind one address × headroom, never below WAF's minimum", () => {
    const expected = (n: number) =>
      Math.max(Topology.WAF_MIN_RATE_LIMIT, Math.ceil(n * customersPerAddress * headroom));
    expect(perCustomer.orders).toBeCloseTo(
      (sizing.ordersPerMinute / sizing.concurrentCustomers) * (windowSeconds / 60),
    );
    expect(Topology.EDGE_RULES.OrdersPerAddress.limit).toBe(expected(perCustomer.orders));
    expect(Topology.EDGE_RULES.ConnectsPerAddress.limit).toBe(expected(perCustomer.connects));
    expect(Topology.EDGE_RULES.RequestsPerAddress.limit).toBe(expected(perCustomer.requests));
    for (const rule of Object.values(Topology.EDGE_RULES)) expect([60, 120, 300, 600]).toContain(rule.windowSeconds);
  });

  it("come to the figures the docs state (deploy-and-operate.md, capacity.md, the edge decision)", () => {
    const limits = Object.fromEntries(
      Object.entries(Topology.EDGE_RULES).map(([name, rule]) => [name, [rule.limit, rule.windowSeconds]]),
    );
    expect(limits).toEqual({
      OrdersPerAddress: [20, 300],
      ConnectsPerAddress: [200, 300],
      RequestsPerAddress: [420, 300],
    });
    expect(Tunables.TUNABLES.billGuardExecutions.defaultValue).toBe(600);
  });

  it("leave a customer far below and one client flooding at the stage's rate far above", () => {
    const { http, webSocket } = Topology.API_THROTTLES;
    for (const [rule, customer, flood] of [
      [Topology.EDGE_RULES.OrdersPerAddress, perCustomer.orders, http.rateLimit],
      [Topology.EDGE_RULES.ConnectsPerAddress, perCustomer.connects, webSocket.routes.$connect.rateLimit],
      [Topology.EDGE_RULES.RequestsPerAddress, perCustomer.requests, http.rateLimit],
    ] as const) {
      expect(rule.limit).toBeGreaterThanOrEqual(10 * customer);
      expect(flood * rule.windowSeconds).toBeGreaterThanOrEqual(10 * rule.limit);
    }
  });

  it("are tunables read as the stage throttles are, within WAF's range", () => {
    const settings = Tunables.readTunables({ EDGE_ORDERS_PER_ADDRESS: "50" }, [
      "edgeOrdersPerAddress",
      "edgeConnectsPerAddress",
      "edgeRequestsPerAddress",
    ]);
    expect(Tunables.edgeRulesOf(settings).OrdersPerAddress).toEqual({
      ...Topology.EDGE_RULES.OrdersPerAddress,
      limit: 50,
    });
    expect(() => Tunables.parseTunable("edgeConnectsPerAddress", "9")).toThrow(
      /EDGE_CONNECTS_PER_ADDRESS="9" is not allowed.*from 10/,
    );
  });

  it("scope POST /orders, WebSocket upgrades, and everything", () => {
    const { OrdersPerAddress, ConnectsPerAddress, RequestsPerAddress } = Topology.EDGE_RULES;
    expect(Topology.edgeScopeMatches(OrdersPerAddress.scope, { method: "POST", path: "/orders" })).toBe(true);
    expect(Topology.edgeScopeMatches(OrdersPerAddress.scope, { method: "GET", path: "/orders" })).toBe(false);
    // The orders rule is by method: it counts POST /orders only while that is the API's one POST route.
    expect(Object.keys(Topology.HTTP_ROUTES).filter((route) => route.startsWith("POST "))).toEqual(["POST /orders"]);
    // Any spelling of the path API Gateway may route to POST /orders counts against the orders rule.
    for (const path of ["/orders/", "//orders", "/Orders", "/orders?x=1"])
      expect(Topology.edgeScopeMatches(OrdersPerAddress.scope, { method: "POST", path }), path).toBe(true);
    expect(
      Topology.edgeScopeMatches(ConnectsPerAddress.scope, { method: "GET", path: "/prod", upgrade: "WebSocket" }),
    ).toBe(true);
    expect(Topology.edgeScopeMatches(ConnectsPerAddress.scope, { method: "GET", path: "/prod" })).toBe(false);
    expect(Topology.edgeScopeMatches(RequestsPerAddress.scope, { method: "GET", path: "/catalogue" })).toBe(true);
  });
});

it("the bill guard's default is the expected orders over 5 minutes with headroom", () => {
  expect(Topology.EXPECTED_ORDERS_PER_SECOND).toBe(Topology.THROTTLE_SIZING.ordersPerMinute / 60);
  expect(Tunables.TUNABLES.billGuardExecutions.defaultValue).toBe(
    Math.ceil(Topology.EXPECTED_ORDERS_PER_SECOND * 300 * Topology.BILL_GUARD.headroom),
  );
});
