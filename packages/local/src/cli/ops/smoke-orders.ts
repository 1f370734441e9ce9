/**
 * The orders `npm run smoke` places through the stage's order API, as a customer's page would, with the
 * client package (`@awsomepets/client`'s placeOrder), and follows with `watch-order`'s wrapper of its
 * watchOrder. Two saga paths that ship nothing and charge nothing in the end: the longest (every step,
 * then a refund) for the order that is followed and probed, and the shortest (sold out) for the second
 * order a refusal needs.
 */
import { type OrderRequest, placeOrder as postOrder } from "@awsomepets/client";
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
} satisfies Record<string, { body: OrderRequest; path: readonly OrderStatus.Status[] }>;

export async function placeOrder(
  apiUrl: string,
  order: (typeof SMOKE_ORDERS)[keyof typeof SMOKE_ORDERS],
): Promise<PlacedOrder> {
  const result = await postOrder({ baseUrl: apiUrl, order: order.body, signal: AbortSignal.timeout(30_000) });
  if (!result.ok) {
    const answered = result.kind === "network" ? "no answer" : `answered ${result.status}`;
    throw new Failed(`POST ${apiUrl}/orders: ${answered}: ${result.problem.message.slice(0, 200)}`);
  }
  const { orderId, clientCallbackUrl } = result.order;
  if (typeof orderId !== "string" || typeof clientCallbackUrl !== "string")
    throw new Failed("POST /orders answered 202 without orderId and clientCallbackUrl");
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
