/**
 * `watch-order` arguments. With `--url` the order id may be left out (it is in the URL); given
 * both, they must name the same order.
 */
import { HelpRequested, UsageError } from "./cli-errors";
import { parseOrderId } from "./order-id";
import { parseFlags } from "./parse-flags";

export const WATCH_ORDER_USAGE = `Usage: npm run watch-order -- --order-id <uuid> [--url <clientCallbackUrl>]
Follows one order's statuses over the callback WebSocket until it completes or is cancelled (Ctrl-C stops).
Without --url it connects to the running local stack (\`npm start\`).`;

export type WatchOrderOptions = { orderId: string; url?: string };

export function readWatchOrderOptions(argv: string[]): WatchOrderOptions {
  const values = parseFlags(argv, {
    "order-id": { type: "string" },
    url: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) throw new HelpRequested();
  if (values.url === undefined) return { orderId: parseOrderId(values["order-id"]) };
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url must be a URL, got ${JSON.stringify(values.url)}`, false);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:")
    throw new UsageError(`--url must be a ws:// or wss:// URL, got ${url.protocol}`, false);
  const fromUrl = url.searchParams.get("orderId") ?? undefined;
  const orderId = parseOrderId(
    values["order-id"] ?? fromUrl,
    values["order-id"] ? "--order-id" : "the orderId in --url",
  );
  if (fromUrl !== undefined && fromUrl !== orderId)
    throw new UsageError(`--order-id ${orderId} is not the order of --url (${fromUrl})`, false);
  return { orderId, url: values.url };
}
