/// <reference lib="dom.iterable" />
/** The order API as the page uses it: `GET /catalogue`, `POST /orders`, `GET /orders/{orderId}`. */
import type * as Order from "@awsomepets/core/orders/request";
import type * as StatusModel from "@awsomepets/core/status/model";

/** `soldOut`: listed, but it cannot be bought (absent from servers older than this page). */
export type Pet = { sku: string; name: string; species: string; price: number; description: string; soldOut?: boolean };
export type FieldError = { path: string; message: string };
export type PlacedOrder = { status: "placed"; orderId: string; clientCallbackUrl: string };

export type PlaceOrderResult =
  | { kind: "placed"; order: PlacedOrder }
  /** 400 with field errors: shown next to the fields. */
  | { kind: "invalid"; message: string; errors: FieldError[] }
  /** Anything else the API refused (413, 415, 422, 5xx) or a network failure (status 0). */
  | { kind: "refused"; status: number; message: string };

export type OrderView = {
  orderId: string;
  status: StatusModel.Status;
  terminal: boolean;
  placedAt: string;
  amount: number;
  basket: Order.OrderRequest["basket"];
  /** Absent from servers older than this page. */
  shippingAddress?: Order.OrderRequest["shippingAddress"];
  history: StatusModel.HistoryRecord[];
};
export type GetOrderResult =
  | { kind: "found"; order: OrderView }
  /** 403: the token is expired or not this order's; retrying cannot help. */
  | { kind: "forbidden"; message: string }
  | { kind: "failed"; status: number; message: string };

export type OrderRequest = Order.OrderRequest;

async function messageOf(response: Response) {
  try {
    const body = (await response.json()) as { message?: unknown };
    return typeof body.message === "string" ? body.message : `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

export function createApiClient(base: string, fetchFn: typeof fetch = (...args) => fetch(...args)) {
  return {
    async catalogue(): Promise<Pet[]> {
      const response = await fetchFn(`${base}/catalogue`);
      if (!response.ok) throw new Error(`The catalogue could not be loaded (${await messageOf(response)})`);
      return (await response.json()) as Pet[];
    },

    async placeOrder(request: Order.OrderRequest, idempotencyKey: string): Promise<PlaceOrderResult> {
      let response: Response;
      try {
        response = await fetchFn(`${base}/orders`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
          body: JSON.stringify(request),
        });
      } catch {
        return {
          kind: "refused",
          status: 0,
          message: "The order API cannot be reached; check your connection and try again.",
        };
      }
      if (response.status === 202) return { kind: "placed", order: (await response.json()) as PlacedOrder };
      if (response.status === 400) {
        const body = (await response.json().catch(() => ({}))) as { message?: string; errors?: FieldError[] };
        return {
          kind: "invalid",
          message: body.message ?? "Invalid order",
          errors: Array.isArray(body.errors) ? body.errors : [],
        };
      }
      return { kind: "refused", status: response.status, message: await messageOf(response) };
    },

    async order(orderId: string, token: string): Promise<GetOrderResult> {
      let response: Response;
      try {
        response = await fetchFn(`${base}/orders/${encodeURIComponent(orderId)}`, {
          headers: { authorization: `Bearer ${token}` },
        });
      } catch {
        return { kind: "failed", status: 0, message: "The order API cannot be reached" };
      }
      if (response.ok) return { kind: "found", order: (await response.json()) as OrderView };
      if (response.status === 403) return { kind: "forbidden", message: await messageOf(response) };
      return { kind: "failed", status: response.status, message: await messageOf(response) };
    },
  };
}
export type ApiClient = ReturnType<typeof createApiClient>;
