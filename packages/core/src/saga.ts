/**
 * The saga's steps, as deterministic business rules so that users and tests can drive every path:
 *   - a basket line with sku `SOLD-OUT`            → ReserveInventory fails → cancelled
 *   - `paymentDetail.cardToken` `tok_declined`     → ProcessPayment fails   → released, cancelled
 *   - `shippingAddress.country` `XX`               → CompleteOrder fails    → refunded, released, cancelled
 *   - anything else                                → reserved, paid (amountPaid), completed
 * A step's failure is an Error whose name is the Step Functions error the workflow catches.
 *
 * The workflow carries only `WorkflowInput` (id, placedAt, amount): a step that needs the basket, the
 * card or the address reads the order from the order service's store. The card token is removed by
 * the payment step once used (with its outcome, whatever it is) or by CancelOrder if the order ends
 * before payment. An order that is gone (erased, expired) fails its step as `OrderNotFound`, which
 * the workflow catches like any other failure: the order ends cancelled.
 */
import * as Catalogue from "./catalogue";
import type { WorkflowInput } from "./order";
import type { OrderRecord, OrderStore, PaymentOutcome } from "./order-store";
import { REASON_MAX_LENGTH } from "./order-status";

/** What the steps that read the order need: the order service's store. */
export type StepDeps = { store: Pick<OrderStore, "getOrder" | "recordPayment" | "forgetCard"> };

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

/** The order a step works on is not in the store (erased, past its retention, or never stored). */
export class OrderNotFoundError extends Error {
  constructor(orderId: string) {
    super(`Order ${orderId} is not in the order store (erased or expired)`);
    this.name = "OrderNotFound";
  }
}

async function orderOf(deps: StepDeps, input: WorkflowInput): Promise<OrderRecord> {
  const order = await deps.store.getOrder(input.orderId);
  if (!order) throw new OrderNotFoundError(input.orderId);
  return order;
}

/**
 * Reserves the basket's pets; a `SOLD-OUT` line fails as `InventoryUnavailable`.
 *
 * @example
 * await reserveInventory({ store }, { orderId, placedAt, amountCents }); // { reservationId: "res-<orderId>" }
 */
export async function reserveInventory(deps: StepDeps, input: WorkflowInput) {
  const order = await orderOf(deps, input);
  const soldOut = order.basket.filter((line) => line.sku === Catalogue.SOLD_OUT_SKU).map((line) => line.sku);
  if (soldOut.length > 0) throw new SagaStepError("InventoryUnavailable", `Out of stock: ${soldOut.join(", ")}`);
  return { reservationId: `res-${order.orderId}` };
}

/** Charges the card once: the outcome is decided from the card token, then recorded (the token removed). */
function charge(order: OrderRecord): PaymentOutcome {
  if (order.cardToken === undefined) throw new Error(`Order ${order.orderId} has neither a card token nor a recorded payment`);
  if (order.cardToken === DECLINED_CARD_TOKEN) return { outcome: "declined" };
  return { outcome: "paid", paymentId: `pay-${order.orderId}`, amountPaid: order.amountCents / 100 };
}

/**
 * Pays for the order with its card token, which it then removes from the order together with the
 * outcome (paid or declined), in one write. Run again, it repeats the recorded outcome: the card is
 * charged once and is not needed again. A declined card fails as `PaymentDeclined`.
 *
 * @example
 * await processPayment({ store }, { orderId, placedAt, amountCents: 129900 }); // { paymentId, amountPaid: 1299 }
 */
export async function processPayment(deps: StepDeps, input: WorkflowInput) {
  const order = await orderOf(deps, input);
  const outcome = order.payment ?? (await deps.store.recordPayment(order.orderId, charge(order)));
  if (!outcome) throw new OrderNotFoundError(input.orderId);
  if (outcome.outcome === "declined") throw new SagaStepError("PaymentDeclined", "The card was declined");
  return { paymentId: outcome.paymentId, amountPaid: outcome.amountPaid };
}

/**
 * Ships the order to its address; country `XX` fails as `DeliveryUnavailable`.
 *
 * @example
 * await completeOrder({ store }, { orderId, placedAt, amountCents }); // { shipmentId: "shp-<orderId>" }
 */
export async function completeOrder(deps: StepDeps, input: WorkflowInput) {
  const order = await orderOf(deps, input);
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

/**
 * Cancels the order: every cancelled path passes here, so an order cancelled before its payment step
 * (sold out, a failure) has its card token removed here; an erased order is left alone.
 *
 * @example
 * await cancelOrder({ store }, { orderId, placedAt, amountCents, error }); // { reason: "Out of stock: SOLD-OUT" }
 */
export async function cancelOrder(deps: StepDeps, input: Compensation) {
  await deps.store.forgetCard(input.orderId);
  return { reason: reasonOf(input) };
}
