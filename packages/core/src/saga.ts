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
import { REASON_MAX_LENGTH } from "./order-status";

export const DECLINED_CARD_TOKEN = "tok_declined";
export const UNDELIVERABLE_COUNTRY = "XX";

/** The errors a step throws to report a business outcome: their message is written for the customer. */
export const OUTCOME_ERRORS = ["InventoryUnavailable", "PaymentDeclined", "DeliveryUnavailable"] as const;
export type OutcomeError = (typeof OUTCOME_ERRORS)[number];
const isOutcomeError = (name: unknown): name is OutcomeError => OUTCOME_ERRORS.includes(name as OutcomeError);

export class SagaStepError extends Error {
  constructor(name: OutcomeError, message: string) {
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

/**
 * What the customer reads when anything else failed (a bug, a timeout, an AWS error): its message is
 * for the logs, not for them, and may be a stack trace of any length.
 */
export const UNEXPECTED_FAILURE_REASON = "We could not complete this order because of a problem on our side";

/**
 * The reason shown to the customer, read from the caught error: a business outcome's message, cut to
 * the event's `REASON_MAX_LENGTH` (a longer reason would make the event invalid, and the customer would
 * never see the order end), else `UNEXPECTED_FAILURE_REASON`.
 */
export function reasonOf(input: Compensation) {
  const { Error: name, Cause: cause } = input.error ?? {};
  if (!isOutcomeError(name)) return UNEXPECTED_FAILURE_REASON;
  const message = errorMessageOf(cause);
  return message ? bounded(message) : UNEXPECTED_FAILURE_REASON;
}

/** Step Functions' Cause for a Lambda error is its payload as JSON, `{errorType, errorMessage, trace}`. */
function errorMessageOf(cause: string | undefined) {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed?.errorMessage === "string" ? parsed.errorMessage.trim() : undefined;
  } catch {
    return undefined; // Step Functions cuts a Cause over 32,768 characters: no longer JSON.
  }
}

/** `text` within REASON_MAX_LENGTH: cut with an ellipsis, never between the halves of a surrogate pair. */
export function bounded(text: string, max = REASON_MAX_LENGTH) {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return `${text.slice(0, end)}…`;
}

export const releaseInventory = (input: Compensation) => ({ reason: reasonOf(input) });
export const processRefund = (input: Compensation) => ({ reason: reasonOf(input) });
export const cancelOrder = (input: Compensation) => ({ reason: reasonOf(input) });
