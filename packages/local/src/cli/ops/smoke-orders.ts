/**
 * The orders `npm run smoke` places through the stage's order API, as a customer's page would, and
 * follows with the client package (`watch-order`'s wrapper of `@awsomepets/client`). Two saga paths
 * that ship nothing and charge nothing in the end: the longest (every step, then a refund) for the
 * order that is followed and probed, and the shortest (sold out) for the second order a refusal needs.
 */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as Saga from "@awsomepets/core/orders/saga";
import type * as OrderStatus from "@awsomepets/core/status/event";
import { followOrderInTerminal } from "../order-watcher";
import { Failed } from "./smoke-report";

export type PlacedOrder = { orderId: string; clientCallbackUrl: string; path: readonly OrderStatus.Status[] };

const ADDRESS = { name: "npm run smoke", line1: "1 Main St", city: "Lisbon", postalCode: "1000-001" };

export const SMOKE_ORDERS = {
  /** Country `XX`: placed, reserved, paid, then delivery fails: refunded, released, cancelled. */
  refunded: {
    body: {
      basket: [{ sku: "DOG-LAB", quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: { ...ADDRESS, country: Saga.UNDELIVERABLE_COUNTRY },
    },
    path: ["placed", "reserved", "paid", "refunded", "released", "cancelled"],
  },
  soldOut: {
    body: {
      basket: [{ sku: Catalogue.SOLD_OUT_SKU, quantity: 1 }],
      paymentDetail: { cardToken: "tok_visa" },
      shippingAddress: { ...ADDRESS, country: "PT" },
    },
    path: ["placed", "cancelled"],
  },
} as const satisfies Record<string, { body: object; path: readonly OrderStatus.Status[] }>;

export async function placeOrder(
  apiUrl: string,
  order: (typeof SMOKE_ORDERS)[keyof typeof SMOKE_ORDERS],
): Promise<PlacedOrder> {
  const response = await fetch(`${apiUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(order.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 202)
    throw new Failed(`POST ${apiUrl}/orders answered ${response.status}: ${text.slice(0, 200)}`);
  const { orderId, clientCallbackUrl } = JSON.parse(text) as { orderId?: unknown; clientCallbackUrl?: unknown };
  if (typeof orderId !== "string" || typeof clientCallbackUrl !== "string")
    throw new Failed(`POST /orders answered 202 without orderId and clientCallbackUrl: ${text.slice(0, 200)}`);
  return { orderId, clientCallbackUrl, path: order.path };
}

/** Follows the order to its end; what it saw, or Failed. */
export async function followOrder(order: PlacedOrder, timeoutMs: number): Promise<string> {
  const notes: string[] = [];
  const started = Date.now();
  const watcher = followOrderInTerminal({
    url: order.clientCallbackUrl,
    orderId: order.orderId,
    out: () => {},
    err: (note) => notes.push(note),
    lingerMs: 1_000,
  });
  const timer = setTimeout(() => watcher.stop(), timeoutMs);
  const outcome = await watcher.done.finally(() => clearTimeout(timer));
  const statuses = watcher.timeline.statuses;
  const got = statuses.map((s) => `${s.status} #${s.seq}`).join(", ") || "nothing";
  const lastNote = notes.length ? ` (the client's last note: ${notes.at(-1)})` : "";
  if (outcome.kind !== "finished") {
    const why = outcome.kind === "stopped" ? `not finished within ${timeoutMs / 1000} s` : outcome.message;
    throw new Failed(`order ${order.orderId}: ${why}; got ${got}${lastNote}`);
  }
  const seqs = statuses.map((s) => s.seq).sort((a, b) => a - b);
  const inOrder = statuses.map((s) => s.status).join() === order.path.join() && seqs.every((seq, i) => seq === i + 1);
  if (!inOrder)
    throw new Failed(
      `order ${order.orderId}: expected ${order.path.join(", ")} with seq 1 to ${order.path.length}, got ${got}`,
    );
  return `${order.orderId}: ${got} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
