/**
 * What a dead-letter queue message holds, and the event to send again. Both retry layers of a rule
 * target fail into the same queue (see the stacks): EventBridge puts the event itself (when it could
 * not invoke the function), Lambda puts an async-invoke failure record `{requestContext,
 * requestPayload, responsePayload, …}` (when the function failed every attempt); the original event
 * is `requestPayload`, and `responsePayload` the error of its last attempt — for an event the
 * function's schema refused, `InvalidStatusEventError` naming the fields at fault, so an operator
 * sees what to fix before redriving it.
 */
export type Redrivable =
  | { ok: true; event: Record<string, unknown>; source: "rule target" | "failed invocation"; lastError?: string }
  | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isEvent = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && "detail-type" in value && isObject(value.detail);

export function redrivable(body: string | undefined): Redrivable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  if (isObject(parsed) && isObject(parsed.requestContext) && "requestPayload" in parsed) {
    return isEvent(parsed.requestPayload)
      ? {
          ok: true,
          event: parsed.requestPayload,
          source: "failed invocation",
          lastError: errorOf(parsed.responsePayload),
        }
      : { ok: false, reason: "the failure record's requestPayload is not an EventBridge event" };
  }
  if (isEvent(parsed)) return { ok: true, event: parsed, source: "rule target" };
  return { ok: false, reason: "neither an EventBridge event nor a Lambda failure record" };
}

/** A Lambda error payload `{errorType, errorMessage}` as one short line, if it is one. */
function errorOf(payload: unknown): string | undefined {
  if (!isObject(payload) || typeof payload.errorMessage !== "string") return undefined;
  const line = `${typeof payload.errorType === "string" ? `${payload.errorType}: ` : ""}${payload.errorMessage}`;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** How a redrive line ends: where the message came from, and the last error when known. */
export const redriveNote = (source: string, lastError?: string) =>
  `(${source})${lastError ? ` — last error: ${lastError}` : ""}`;

/** `<orderId> <status>` of an order status event, or its id for any other event. */
export function describeEvent(event: Record<string, unknown>): string {
  const detail = isObject(event.detail) ? event.detail : {};
  if (typeof detail.orderId === "string" && typeof detail.status === "string")
    return `${detail.orderId} ${detail.status}`;
  return `event ${String(event.id ?? "(no id)")}`;
}
