/**
 * The saga's steps, as deterministic business rules so that users and tests can drive every path:
 *   - a basket line with sku `SOLD-OUT`            → ReserveInventory fails → cancelled
 *   - `paymentDetail.cardToken` `tok_declined`     → ProcessPayment fails   → released, cancelled
 *   - `shippingAddress.country` `XX`               → CompleteOrder fails    → refunded, released, cancelled
 *   - anything else                                → reserved, paid (amountPaid), completed
 * A step's failure is an Error whose name is the Step Functions error the workflow catches.
 */
import * as Catalogue from "./catalogue";
import type { WorkflowInput } from "./order";

export const DECLINED_CARD_TOKEN = "tok_declined";
export const UNDELIVERABLE_COUNTRY = "XX";

export class SagaStepError extends Error {
  constructor(name: "InventoryUnavailable" | "PaymentDeclined" | "DeliveryUnavailable", message: string) {
    super(message);
    this.name = name;
  }
}

export function reserveInventory(order: WorkflowInput) {
  const soldOut = order.basket.filter((line) => line.sku === Catalogue.SOLD_OUT_SKU).map((line) => line.sku);
  if (soldOut.length > 0) throw new SagaStepError("InventoryUnavailable", `Out of stock: ${soldOut.join(", ")}`);
  return { reservationId: `res-${order.orderId}` };
}

export function processPayment(order: WorkflowInput) {
  if (order.paymentDetail.cardToken === DECLINED_CARD_TOKEN) {
    throw new SagaStepError("PaymentDeclined", "The card was declined");
  }
  const cents = Catalogue.priceCents(order.basket);
  if (cents === undefined) throw new Error("The basket has a sku that is not in the catalogue");
  return { paymentId: `pay-${order.orderId}`, amountPaid: cents / 100 };
}

export function completeOrder(order: WorkflowInput) {
  if (order.shippingAddress.country === UNDELIVERABLE_COUNTRY) {
    throw new SagaStepError("DeliveryUnavailable", `We cannot deliver to ${UNDELIVERABLE_COUNTRY}`);
  }
  return { shipmentId: `shp-${order.orderId}` };
}

/** What a compensation step receives: the order and the error the workflow caught (`$.error`). */
export type Compensation = WorkflowInput & { error?: { Error?: string; Cause?: string } };

/** The reason shown to the customer: the failed step's message, read from the caught error. */
export function reasonOf(input: Compensation) {
  const cause = input.error?.Cause;
  if (cause) {
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === "string" && parsed.errorMessage) return parsed.errorMessage;
    } catch {
      if (cause.length < 500) return cause;
    }
  }
  return input.error?.Error ?? "The order could not be completed";
}

export const releaseInventory = (input: Compensation) => ({ reason: reasonOf(input) });
export const processRefund = (input: Compensation) => ({ reason: reasonOf(input) });
export const cancelOrder = (input: Compensation) => ({ reason: reasonOf(input) });
