/** The app's status rule pattern, as the local EventBridge endpoint compiles it. */
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import * as OrderStatus from "@awsomepets/core/status/event";
import { compilePattern } from "@awsomepets/aws-local/eventbridge/pattern";

describe("the OrderStatusToCallback rule pattern", () => {
  const matchesRule = compilePattern(Topology.EVENT_RULES.OrderStatusToCallback.pattern);
  const statusEvent = (envelope: Record<string, unknown> = {}) => ({
    version: "0",
    id: "0d9a5c3e-2f7b-4a4e-9f61-2b5f3c1d7e80",
    "detail-type": OrderStatus.DETAIL_TYPE,
    source: OrderStatus.EVENT_SOURCE,
    account: "123456789012",
    time: "2025-01-01T12:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: OrderStatus.StatusRecord.parse({
      orderId: "7f3e2a1c-5b4d-4c8e-9f6a-1b2c3d4e5f60",
      status: "paid",
      occurredAt: "2025-01-01T12:00:00.000Z",
      amountPaid: 42,
    }),
    ...envelope,
  });

  it("matches a status event and nothing with another source or detail-type", () => {
    // Prepare
    const real = statusEvent();
    const otherSource = statusEvent({ source: "awsomepets.inventory" });
    const otherDetailType = statusEvent({ "detail-type": "Order Placed" });
    // Act
    const outcomes = [real, otherSource, otherDetailType].map(matchesRule);
    // Assess
    expect(outcomes).toEqual([true, false, false]);
  });
});
