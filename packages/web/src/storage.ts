/**
 * The orders this tab watches, kept in `sessionStorage` so that a reload resumes them: the order id,
 * the callback URL (it carries the token) and the statuses held so far (with their seq, so the
 * resumed timeline knows its cursor and asks only for what it misses).
 */
import type { StatusFrame } from "@awsomepets/core/protocol";
import type { HistoryEntry, OrderRequest } from "./api-client";

export const STORAGE_KEY = "awsomepets.watchedOrders.v1";
/** Enough for a shopping session; the oldest are dropped beyond it. */
export const MAX_WATCHED_ORDERS = 20;

/** What was ordered, as the page sent it (and as `GET /orders/{id}` confirms it). */
export type OrderSummary = {
  basket: OrderRequest["basket"];
  /** In the catalogue's currency. */
  amount?: number;
  shippingAddress?: OrderRequest["shippingAddress"];
};

export type WatchedOrder = {
  orderId: string;
  clientCallbackUrl: string;
  addedAt: string;
  /** From the socket: each with its seq. */
  statuses: StatusFrame[];
  /** From the 202 (`placed`) and `GET /orders/{id}` when the socket could not be used: no seq. */
  fromApi: HistoryEntry[];
  summary?: OrderSummary;
  /** The customer pressed "Stop watching": a reload shows the order without going live again. */
  stopped?: boolean;
};

type StorageLike = Pick<Storage, "getItem" | "setItem">;

function isWatchedOrder(value: unknown): value is WatchedOrder {
  const v = value as WatchedOrder;
  return !!v && typeof v.orderId === "string" && typeof v.clientCallbackUrl === "string" && Array.isArray(v.statuses) && Array.isArray(v.fromApi);
}

export function createOrderStorage(storage: StorageLike | undefined) {
  const readAll = (): WatchedOrder[] => {
    try {
      const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
      return Array.isArray(parsed) ? parsed.filter(isWatchedOrder) : [];
    } catch {
      return []; // corrupt or foreign data: start afresh rather than break the page
    }
  };
  const writeAll = (orders: WatchedOrder[]) => {
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(orders.slice(-MAX_WATCHED_ORDERS)));
    } catch {
      // Storage full or disabled (private mode): watching still works, only a reload forgets.
    }
  };
  return {
    all: readAll,
    /** Adds the order, or updates it in place (keeping the page's order of cards). */
    save(order: WatchedOrder) {
      const orders = readAll();
      const index = orders.findIndex((o) => o.orderId === order.orderId);
      if (index === -1) orders.push(order);
      else orders[index] = order;
      writeAll(orders);
    },
    remove(orderId: string) {
      writeAll(readAll().filter((o) => o.orderId !== orderId));
    },
  };
}
export type OrderStorage = ReturnType<typeof createOrderStorage>;
