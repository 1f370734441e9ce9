/** `erase-order`'s sentences for the cases the end-to-end test does not reach: an order not ended, one placed without a key. */
import { describe, expect, it } from "vitest";
import { erasureLines } from "../../../src/cli/ops/erase-report";

const tables = { ordersTable: "OrdersTbl", clientCallbackTable: "ClientCallbackTbl" };
const orderId = "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f";

describe("erasureLines", () => {
  it("warns that an order still running may write its callback item again, and says when no key was known", () => {
    // Act
    const lines = erasureLines(
      {
        orderId,
        removed: { order: true, idempotencyRecord: false, callbackItem: true },
        idempotencyKeyKnown: false,
        status: "reserved",
      },
      tables,
      false,
    );
    // Assess
    expect(lines).toEqual([
      `Erased order ${orderId} (reserved): its item in OrdersTbl, its callback item in ClientCallbackTbl.`,
      "Its item named no Idempotency-Key (placed without one, or before keys were kept): any key's record expires 24 hours after the order.",
      "The order had not ended (reserved): its workflow may still publish statuses, which can write its callback item again. Run erase-order again once the workflow has ended.",
    ]);
  });

  it("says nothing was left when nothing was removed, and only the callback item when only that was there", () => {
    const none = erasureLines(
      { orderId, removed: { order: false, idempotencyRecord: false, callbackItem: false }, idempotencyKeyKnown: false },
      tables,
      false,
    );
    const callbackOnly = erasureLines(
      { orderId, removed: { order: false, idempotencyRecord: false, callbackItem: true }, idempotencyKeyKnown: false },
      tables,
      false,
    );
    expect(none).toEqual([
      `Nothing was left of order ${orderId} in OrdersTbl or ClientCallbackTbl: already erased, or never held here.`,
    ]);
    expect(callbackOnly).toEqual([`Erased order ${orderId}: its callback item in ClientCallbackTbl.`]);
  });
});
