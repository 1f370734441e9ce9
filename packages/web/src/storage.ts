/**
 * The customer's orders, kept in `localStorage` (per shop origin: every tab, and after the browser
 * restarts) so that closing the tab loses nothing: the order id, the callback URL (it carries the
 * order's token, which also reads the order over HTTP), what was bought, and the statuses held so far
 * (with their seq, so a resumed timeline asks only for what it misses). Orders are forgotten
 * KEEP_DAYS after they were placed; the newest MAX_WATCHED_ORDERS are kept.
 *
 * Nothing the page does not need is kept: of the shipping address only the country (the card says
 * "Ships to Portugal"; the rest stays in the tab that placed the order), since whatever is stored
 * here for 30 days is one injected script away from anyone. An order whose callback URL is not the
 * stage's is rebuilt on the stage's URL, or dropped, when the page loads (`onStage`).
 */
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import type * as StatusModel from "@awsomepets/core/status/model";
import type { OrderRequest } from "@awsomepets/client";

export const STORAGE_KEY = "awsomepets.orders.v2";
/** Where the page kept a tab's orders before (`sessionStorage`): moved over once, so an open tab keeps them. */
export const SESSION_STORAGE_KEY = "awsomepets.watchedOrders.v1";
export const MAX_WATCHED_ORDERS = 50;
/** Long enough to see a delivery through; the order link itself works for a day (the token's lifetime). */
export const KEEP_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What was ordered, as the page sent it (and as `GET /orders/{id}` confirms it). */
export type OrderSummary = {
  basket: OrderRequest["basket"];
  /** In the catalogue's currency. */
  amount?: number;
  /** The whole address: in the memory of the tab that placed the order only, never stored. */
  shippingAddress?: OrderRequest["shippingAddress"];
  /** The shipping country's ISO code: what is stored of the address. */
  country?: string;
  /** When the order was placed (RFC 3339). */
  placedAt?: string;
};

export type WatchedOrder = {
  orderId: string;
  clientCallbackUrl: string;
  addedAt: string;
  /** From the socket: each with its seq. */
  statuses: Protocol.StatusFrame[];
  /** From the 202 (`placed`) and `GET /orders/{id}` when the socket could not be used: no seq. */
  fromApi: StatusModel.HistoryRecord[];
  summary?: OrderSummary;
  /** The customer pressed "Stop watching": the order is shown (and checked once) without going live. */
  stopped?: boolean;
};

type StorageLike = Pick<Storage, "getItem" | "setItem">;

function isWatchedOrder(value: unknown): value is WatchedOrder {
  const v = value as WatchedOrder;
  return (
    !!v &&
    typeof v.orderId === "string" &&
    typeof v.clientCallbackUrl === "string" &&
    Array.isArray(v.statuses) &&
    Array.isArray(v.fromApi)
  );
}

function parseOrders(text: string | null | undefined): WatchedOrder[] {
  try {
    const parsed: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(parsed) ? parsed.filter(isWatchedOrder) : [];
  } catch {
    return []; // corrupt or foreign data: start afresh rather than break the page
  }
}

/** What is written of an order: its summary without the address, only its country. */
function stored(order: WatchedOrder): WatchedOrder {
  if (!order.summary) return order;
  const { shippingAddress, ...summary } = order.summary;
  const country = summary.country ?? shippingAddress?.country;
  return { ...order, summary: country ? { ...summary, country } : summary };
}

export function createOrderStorage(
  storage: StorageLike | undefined,
  options: {
    session?: StorageLike;
    now?: () => number;
    /** The order as the page may follow it (on the stage's callback URL), or undefined to drop it. */
    onStage?: (order: WatchedOrder) => WatchedOrder | undefined;
  } = {},
) {
  const now = options.now ?? Date.now;
  const onStage = options.onStage ?? ((order: WatchedOrder) => order);
  const followable = (orders: WatchedOrder[]) => orders.flatMap((order) => onStage(order) ?? []);
  const fresh = (order: WatchedOrder) => {
    const added = Date.parse(order.summary?.placedAt ?? order.addedAt);
    return Number.isNaN(added) || now() - added < KEEP_DAYS * DAY_MS;
  };
  const readAll = (): WatchedOrder[] => {
    try {
      return followable(parseOrders(storage?.getItem(STORAGE_KEY)).filter(fresh));
    } catch {
      return [];
    }
  };
  const writeAll = (orders: WatchedOrder[]) => {
    try {
      storage?.setItem(STORAGE_KEY, JSON.stringify(orders.slice(-MAX_WATCHED_ORDERS).map(stored)));
    } catch {
      // Storage full or disabled (private mode): watching still works, only a reload forgets.
    }
  };
  const api = {
    all: readAll,
    get: (orderId: string) => readAll().find((o) => o.orderId === orderId),
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
  try {
    // What an older page stored (addresses, other servers' URLs and statuses, stale orders) leaves storage now, not on
    // the next write.
    const raw = storage?.getItem(STORAGE_KEY);
    if (raw && JSON.stringify(readAll().map(stored)) !== raw) writeAll(readAll());
  } catch {
    // storage disabled: nothing kept to clean
  }
  try {
    const fromSession = followable(parseOrders(options.session?.getItem(SESSION_STORAGE_KEY)));
    for (const order of fromSession) if (!api.get(order.orderId)) api.save(order);
    if (fromSession.length > 0) options.session?.setItem(SESSION_STORAGE_KEY, "[]");
  } catch {
    // nothing to move over
  }
  return api;
}
export type OrderStorage = ReturnType<typeof createOrderStorage>;
