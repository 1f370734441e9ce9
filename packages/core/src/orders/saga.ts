/**
 * The saga's steps, as deterministic business rules so that users and tests can drive every path:
 *   - a basket line with sku `SOLD-OUT`            → ReserveInventory fails → cancelled
 *   - `paymentDetail.cardToken` `tok_declined`     → ProcessPayment fails   → released, cancelled
 *   - `shippingAddress.country` `XX`               → CompleteOrder fails    → refunded, released, cancelled
 *   - anything else                                → reserved, paid (amountPaid), completed
 * A step's failure is an Error named for the Step Functions error the workflow catches. Every step is
 * idempotent by order (an Express execution runs at least once): what it does is one conditional
 * write on the order's item, what it asks of a provider carries a key derived from the order id, and
 * one final outcome is settled once (`OrderStore.settleOutcome`; the loser fails as
 * `OrderAlreadyCompleted` or `OrderAlreadyCancelled`). Why and the proofs: docs/decisions/express-order-workflow.md.
 */
import * as Catalogue from "./catalogue";
import type { WorkflowInput } from "./request";
import type { OrderRecord, OrderStore, PaymentOutcome } from "./store";
import { REASON_MAX_LENGTH } from "../status/event";

/**
 * A payment provider as a real one is called (Stripe's `Idempotency-Key`, Adyen's, …): every request
 * carries a key, and a request repeated with the same key gets the first one's answer instead of a
 * second charge or refund. Two executions of one order racing past the order's item both ask with
 * the same key: one charge.
 */
export type PaymentProvider = {
  charge(request: { idempotencyKey: string; cardToken: string; amountCents: number }): Promise<PaymentOutcome>;
  /**
   * Refunds the charge made with `chargeIdempotencyKey`, whether or not the order recorded it (a
   * step may time out after the provider charged); `paymentId` when the order recorded one. Answers
   * undefined, refunding nothing, when no charge was made with that key.
   */
  refund(request: {
    idempotencyKey: string;
    chargeIdempotencyKey: string;
    paymentId?: string;
    amountCents: number;
  }): Promise<{ refundId: string } | undefined>;
};

/** The idempotency keys of an order's requests to its payment provider: one charge and one refund per order, ever. */
export const paymentIdempotencyKey = (orderId: string) => `order-${orderId}-charge`;
export const refundIdempotencyKey = (orderId: string) => `order-${orderId}-refund`;

/**
 * The workshop's provider: the outcome follows from the card token (`tok_declined` is declined) and
 * every id from the key, so it answers a repeated key as a real provider does, with nothing to keep.
 * It charges nothing real and keeps no ledger, so the only charge it knows of is one the order
 * recorded (`paymentId`): a refund by the charge's key alone refunds nothing.
 */
export const WORKSHOP_PAYMENTS: PaymentProvider = {
  async charge({ idempotencyKey, cardToken, amountCents }) {
    if (cardToken === DECLINED_CARD_TOKEN) return { outcome: "declined" };
    return { outcome: "paid", paymentId: `pay-${idempotencyKey}`, amountPaid: amountCents / 100 };
  },
  async refund({ idempotencyKey, paymentId }) {
    return paymentId === undefined ? undefined : { refundId: `ref-${idempotencyKey}` };
  },
};

/** What the steps need: the order service's store, and the payment provider (the workshop's unless given). */
export type StepDeps = {
  store: Pick<
    OrderStore,
    | "getOrder"
    | "recordPayment"
    | "forgetCard"
    | "recordReservation"
    | "releaseReservation"
    | "recordRefund"
    | "settleOutcome"
  >;
  payments?: PaymentProvider;
  now?: () => Date;
};
const nowOf = (deps: StepDeps) => (deps.now?.() ?? new Date()).toISOString();

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

/**
 * The order's outcome was settled the other way by another execution of it (module comment): the
 * name is the error the workflow catches. Its message is for the logs.
 */
export class OrderSettledError extends Error {
  constructor(name: "OrderAlreadyCompleted" | "OrderAlreadyCancelled", orderId: string) {
    super(`Order ${orderId} was ${name === "OrderAlreadyCompleted" ? "completed" : "cancelled"} by another execution`);
    this.name = name;
  }
}

/** Settles the order cancelled before a compensation step acts; throws if another execution completed it. */
async function settleCancelled(deps: StepDeps, orderId: string) {
  if ((await deps.store.settleOutcome(orderId, "cancelled", nowOf(deps))) === "opposite")
    throw new OrderSettledError("OrderAlreadyCompleted", orderId);
}

/** The message a step whose order is already cancelled gives the customer (a business outcome). */
export const CANCELLED_REASON = "This order was cancelled";

/**
 * The workflow carries only `WorkflowInput` (id, placedAt, amount): a step that needs the basket, the
 * card or the address reads the order here. The card token is removed by the payment step once used
 * (whatever its outcome) or by CancelOrder if the order ends before payment. An order that is gone
 * (erased, expired) fails its step as `OrderNotFound`, caught like any failure: it ends cancelled.
 */
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
  // Never again once another execution cancelled the order: its pets may be someone else's by now.
  if (order.cancelledAt !== undefined || order.reservation?.releasedAt !== undefined)
    throw new SagaStepError("InventoryUnavailable", CANCELLED_REASON);
  // One reservation per order: a second run finds the first and returns it.
  const reservation =
    order.reservation ??
    (await deps.store.recordReservation(order.orderId, {
      reservationId: `res-${order.orderId}`,
      reservedAt: nowOf(deps),
    }));
  if (!reservation) throw new OrderNotFoundError(input.orderId);
  if (reservation.releasedAt !== undefined) throw new SagaStepError("InventoryUnavailable", CANCELLED_REASON);
  return { reservationId: reservation.reservationId };
}

/**
 * Charges the card once, with the order's key: the provider decides, the outcome is then recorded (the token removed).
 */
async function charge(deps: StepDeps, order: OrderRecord): Promise<PaymentOutcome> {
  if (order.cardToken === undefined)
    throw new Error(`Order ${order.orderId} has neither a card token nor a recorded payment`);
  const payments = deps.payments ?? WORKSHOP_PAYMENTS;
  return payments
    .charge({
      idempotencyKey: paymentIdempotencyKey(order.orderId),
      cardToken: order.cardToken,
      amountCents: order.amountCents,
    })
    .catch((error: unknown) => Promise.reject(new PaymentProviderError(error)));
}

/**
 * A payment provider's failure, re-thrown without its text: a provider's message may quote the
 * request (the card token), and Step Functions copies a step's error into its Catch, its failure
 * cause and an Express log group. The provider's error name is kept for the operator.
 */
export class PaymentProviderError extends Error {
  constructor(cause: unknown) {
    const name = cause instanceof Error && /^[\w.-]{1,64}$/.test(cause.name) ? cause.name : "unknown";
    super(`The payment provider failed (${name})`);
    this.name = "PaymentProviderError";
  }
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
  let outcome = order.payment;
  if (!outcome) {
    if (order.cancelledAt !== undefined || order.reservation?.releasedAt !== undefined)
      throw new OrderSettledError("OrderAlreadyCancelled", order.orderId);
    const charged = await charge(deps, order);
    const recorded = await deps.store.recordPayment(order.orderId, charged);
    if (recorded && "refused" in recorded) {
      // Cancelled while the provider charged: give the money back now, under the order's one refund key.
      if (charged.outcome === "paid") await refundCharge(deps, order, charged.paymentId);
      throw new OrderSettledError("OrderAlreadyCancelled", order.orderId);
    }
    outcome = recorded;
  }
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
  const settled = await deps.store.settleOutcome(order.orderId, "completed", nowOf(deps));
  if (settled === "gone") throw new OrderNotFoundError(order.orderId);
  if (settled === "opposite") throw new OrderSettledError("OrderAlreadyCancelled", order.orderId);
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

/**
 * Settles the order cancelled, then gives its reserved pets back, once: a second run finds the reservation released and
 * changes nothing. An order that is gone, or was never reserved, has nothing to give back.
 *
 * @example
 * await releaseInventory({ store }, { orderId, placedAt, amountCents, error }); // { reason: "The card was declined" }
 */
export async function releaseInventory(deps: StepDeps, input: Compensation) {
  await settleCancelled(deps, input.orderId);
  await deps.store.releaseReservation(input.orderId, nowOf(deps));
  return { reason: reasonOf(input) };
}

/**
 * Settles the order cancelled, then refunds its charge, once: with the order's refund key (a
 * provider asked twice refunds once), then recorded on the order; a second run returns the recorded
 * refund. A payment the order did not record is asked of the provider by the charge's key (the
 * payment step may have timed out after the provider charged): no charge, no refund, no `refundId`
 * (the workflow then publishes no `refunded`). A declined card has nothing to refund; an order that
 * is gone (erased mid-way) neither, as far as this step can tell.
 *
 * @example
 * await processRefund({ store }, { orderId, placedAt, amountCents, error }); // { reason: "We cannot deliver to XX",
 * refundId }
 */
export async function processRefund(deps: StepDeps, input: Compensation) {
  const reason = reasonOf(input);
  await settleCancelled(deps, input.orderId);
  const order = await deps.store.getOrder(input.orderId);
  // A declined card was not charged. A payment not recorded may still have been charged (the
  // step timed out after the provider answered): the provider is asked by the charge's key.
  if (!order || order.payment?.outcome === "declined") return { reason };
  const refund = order.refund ?? (await refundCharge(deps, order, order.payment?.paymentId));
  return { reason, ...(refund && { refundId: refund.refundId }) };
}

/** Refunds the order's charge, once (the order's refund key), and records it; undefined if there was no charge. */
async function refundCharge(deps: StepDeps, order: OrderRecord, paymentId: string | undefined) {
  const payments = deps.payments ?? WORKSHOP_PAYMENTS;
  const amountCents =
    order.payment?.outcome === "paid" ? Math.round(order.payment.amountPaid * 100) : order.amountCents;
  const refunded = await payments
    .refund({
      idempotencyKey: refundIdempotencyKey(order.orderId),
      chargeIdempotencyKey: paymentIdempotencyKey(order.orderId),
      ...(paymentId !== undefined && { paymentId }),
      amountCents,
    })
    .catch((error: unknown) => Promise.reject(new PaymentProviderError(error)));
  if (!refunded) return undefined;
  return deps.store.recordRefund(order.orderId, {
    refundId: refunded.refundId,
    amountRefunded: amountCents / 100,
    refundedAt: nowOf(deps),
  });
}

/**
 * Cancels the order (settles it cancelled, if no earlier step did): every cancelled path passes here, so an order
 * cancelled before its payment step
 * (sold out, a failure) has its card token removed here; an erased order is left alone.
 *
 * @example
 * await cancelOrder({ store }, { orderId, placedAt, amountCents, error }); // { reason: "Out of stock: SOLD-OUT" }
 */
export async function cancelOrder(deps: StepDeps, input: Compensation) {
  await settleCancelled(deps, input.orderId);
  await deps.store.forgetCard(input.orderId);
  return { reason: reasonOf(input) };
}
