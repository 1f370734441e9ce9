/** Realistic status sequences: the four paths of the order saga, with increasing `occurredAt`. */
import type * as OrderStatus from "@awsomepets/core/status/event";
import type { Prng } from "./prng";

export const SAGA_PATHS: ReadonlyArray<readonly OrderStatus.Status[]> = [
  ["placed", "reserved", "paid", "completed"],
  ["placed", "cancelled"],
  ["placed", "reserved", "released", "cancelled"],
  ["placed", "reserved", "paid", "refunded", "released", "cancelled"],
];

const REASONS: Partial<Record<OrderStatus.Status, string>> = {
  cancelled: "The order could not be completed",
  released: "The card was declined",
  refunded: "We cannot deliver to XX",
};

/** One order's statuses as the saga would publish them, a few to a few hundred ms apart. */
export function sagaDetails(prng: Prng, orderId: string, startMs: number): OrderStatus.StatusRecord[] {
  const path = prng.pick(SAGA_PATHS);
  let at = startMs;
  return path.map((status) => {
    at += prng.int(1, 400);
    const detail: OrderStatus.StatusRecord = { orderId, status, occurredAt: new Date(at).toISOString() };
    const reason = REASONS[status];
    if (reason) detail.reason = reason;
    if (status === "paid") detail.amountPaid = prng.int(100, 99_999) / 100;
    return detail;
  });
}
