/** `callback-url` arguments: the order and, optionally, how long the token stays valid. */
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import { HelpRequested, UsageError } from "./cli-errors";
import { parseOrderId } from "./order-id";
import { parseFlags } from "./parse-flags";

export const CALLBACK_URL_USAGE = `Usage: npm run callback-url -- --order-id <uuid> [--ttl-seconds <n>]
Prints a clientCallbackUrl for the running local stack (\`npm start\`), signed with its token secret (default TTL 24 h).`;

/** The functions refuse a token that expires later than 24 h after its issue (callbacks/token.ts). */
const MAX_TTL_SECONDS = CallbackToken.DEFAULT_TTL_SECONDS;

export function readCallbackUrlOptions(argv: string[]) {
  const values = parseFlags(argv, {
    "order-id": { type: "string" },
    "ttl-seconds": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) throw new HelpRequested();
  const orderId = parseOrderId(values["order-id"]);
  const ttl = values["ttl-seconds"];
  if (ttl === undefined) return { orderId };
  const ttlSeconds = Number(ttl);
  if (!/^\d+$/.test(ttl) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new UsageError(
      `--ttl-seconds must be a whole number from 1 to ${MAX_TTL_SECONDS}, got ${JSON.stringify(ttl)}`,
      false,
    );
  }
  return { orderId, ttlSeconds };
}
