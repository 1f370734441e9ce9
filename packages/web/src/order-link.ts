/**
 * The link that reopens an order on this page, in any tab or browser: the page's address with the
 * order's id and token in the fragment (`#order=<orderId>&token=<token>`). The fragment is never sent
 * to a server, so the token stays out of request logs; whoever has the link can read that one order.
 *
 * The page trusts only its shop: the callback URL is always built from the stage's WebSocket URL
 * (known at build, config.ts), never taken from a link. A link of the older form, with a whole
 * callback URL (`#order=wss://…?orderId=…&token=…`), is followed only when that URL is exactly the
 * stage's WebSocket URL with an order id and a token; any other link is refused and stored nowhere,
 * since the page would otherwise show a stranger's server's "statuses" as the shop's
 * (docs/decisions/order-links-name-no-server.md).
 */
import { websocketBase } from "./config";

const PARAM = "order";
const TOKEN_PARAM = "token";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The token's format belongs to the server (it checks it); the page only refuses what cannot be one. */
const TOKEN = /^[\x21-\x7e]{1,1024}$/;

/** Said on the page when a link is refused: it may be a stranger's, or just cut short when copied. */
export const REFUSED_LINK_TEXT =
  "We couldn't open this order link: it doesn't lead to an order in our shop. Check that you copied the whole link from your order confirmation, or contact us.";

export type LinkedOrder = { orderId: string; clientCallbackUrl: string };
export type ParsedOrderLink = { kind: "order"; order: LinkedOrder } | { kind: "refused" };

const samePath = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/**
 * The order's callback URL on the stage's WebSocket API: core's `CallbackToken.callbackUrl`, which
 * the page cannot import (it signs with node:crypto); the same two parameters, in the same order.
 */
export function callbackUrlFor(base: URL, orderId: string, token: string): string {
  const url = new URL(base.href);
  url.search = "";
  url.searchParams.set("orderId", orderId);
  url.searchParams.set(TOKEN_PARAM, token);
  return url.href;
}

/**
 * The order id and token of a callback URL, if it is the stage's: same scheme, host, port and path,
 * and a query of exactly one `orderId` (a UUID) and one `token` — nothing else, since the page never
 * makes such a link and cannot tell what an extra parameter is for. No fragment, no user name.
 */
export function stageCallback(
  clientCallbackUrl: string,
  base: URL | undefined = websocketBase(),
): { orderId: string; token: string } | undefined {
  if (!base) return undefined;
  let url: URL;
  try {
    url = new URL(clientCallbackUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || url.protocol !== base.protocol || !samePath(url.pathname, base.pathname))
    return undefined;
  if (url.hash || url.username || url.password) return undefined;
  const names = [...url.searchParams.keys()].sort();
  if (names.length !== 2 || names[0] !== "orderId" || names[1] !== TOKEN_PARAM) return undefined;
  const orderId = url.searchParams.get("orderId")!;
  const token = url.searchParams.get(TOKEN_PARAM)!;
  return UUID.test(orderId) && TOKEN.test(token) ? { orderId, token } : undefined;
}

/**
 * A stored order as this stage follows it: unchanged if its callback URL is the stage's; else (a URL
 * of the stage before its edge moved it, or one an older page kept from a crafted link) rebuilt on
 * the stage's URL from its order id and token — the server checks the token, not the URL — with the
 * statuses that other server sent dropped (the stage's own sync sends them again). Undefined when no
 * order id and token can be read from it: nothing left to follow.
 */
export function orderOnStage<T extends { orderId: string; clientCallbackUrl: string; statuses: unknown[] }>(
  order: T,
  base: URL | undefined = websocketBase(),
): T | undefined {
  if (!base) return undefined;
  if (stageCallback(order.clientCallbackUrl, base)) return order;
  let url: URL;
  try {
    url = new URL(order.clientCallbackUrl);
  } catch {
    return undefined;
  }
  const token = url.searchParams.get(TOKEN_PARAM) ?? "";
  if (url.searchParams.get("orderId") !== order.orderId || !UUID.test(order.orderId) || !TOKEN.test(token))
    return undefined;
  return { ...order, clientCallbackUrl: callbackUrlFor(base, order.orderId, token), statuses: [] };
}

/** The link that reopens an order: its id and token only, no server named. */
export function orderLink(pageUrl: string, order: { orderId: string; token: string }) {
  const url = new URL(pageUrl);
  const fragment = new URLSearchParams({ [PARAM]: order.orderId, [TOKEN_PARAM]: order.token });
  url.hash = fragment.toString();
  return url.href;
}

/**
 * The order a link's fragment names, with its callback URL built on the stage's WebSocket URL;
 * "refused" for a link that names another server or is not well formed; undefined when the
 * fragment is no order link at all (`#orders-heading`).
 */
export function parseOrderLink(hash: string, base: URL | undefined = websocketBase()): ParsedOrderLink | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const value = params.get(PARAM);
  if (value === null) return undefined;
  if (!base) return { kind: "refused" };
  if (UUID.test(value)) {
    const token = params.get(TOKEN_PARAM);
    if (
      token === null ||
      !TOKEN.test(token) ||
      params.getAll(PARAM).length !== 1 ||
      params.getAll(TOKEN_PARAM).length !== 1
    )
      return { kind: "refused" };
    return { kind: "order", order: { orderId: value, clientCallbackUrl: callbackUrlFor(base, value, token) } };
  }
  const callback = stageCallback(value, base);
  if (!callback || params.getAll(PARAM).length !== 1) return { kind: "refused" };
  return {
    kind: "order",
    order: { orderId: callback.orderId, clientCallbackUrl: callbackUrlFor(base, callback.orderId, callback.token) },
  };
}
