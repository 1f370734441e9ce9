/**
 * What an HTTP status on a refused WebSocket upgrade means for a callback URL (docs/protocol.md),
 * and whether retrying can help: a 4xx will be refused again, a 5xx may pass later.
 */
const MEANINGS: Record<number, string> = {
  400: "the order id is not a UUID",
  401: "the order id or the token is missing",
  403: "the token is malformed, forged, expired or signed for another order, or the order id is too long",
};

export function describeRefusal(statusCode: number) {
  const meaning = MEANINGS[statusCode];
  return `The callback API refused the connection with HTTP ${statusCode}${meaning ? `: ${meaning}` : ""}`;
}

export const isFinalRefusal = (statusCode: number) => statusCode >= 400 && statusCode < 500;
