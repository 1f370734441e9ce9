/**
 * The link that reopens an order on this page, in any tab or browser: the page's address with the
 * order's callback URL in the fragment (`#order=<url>`). The fragment is never sent to a server, so
 * the order's token stays out of request logs; whoever has the link can read that one order only.
 */
import { orderIdOf, tokenOf } from "./callback-url";

const PARAM = "order";

export function orderLink(pageUrl: string, clientCallbackUrl: string) {
  const url = new URL(pageUrl);
  url.hash = `${PARAM}=${encodeURIComponent(clientCallbackUrl)}`;
  return url.href;
}

/** The order a link's fragment names: its id and callback URL, if the fragment is one of ours and well formed. */
export function parseOrderLink(hash: string): { orderId: string; clientCallbackUrl: string } | undefined {
  const value = new URLSearchParams(hash.replace(/^#/, "")).get(PARAM);
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") return undefined;
  const orderId = orderIdOf(url.href);
  if (!orderId || !tokenOf(url.href)) return undefined;
  return { orderId, clientCallbackUrl: url.href };
}
