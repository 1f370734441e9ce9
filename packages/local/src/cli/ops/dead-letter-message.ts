/**
 * What a dead-letter queue message holds, and the event to send again. Both retry layers of a rule
 * target fail into the same queue (see the stacks): EventBridge puts the event itself (when it could
 * not invoke the function), Lambda puts an async-invoke failure record `{requestContext,
 * requestPayload, responsePayload, …}` (when the function failed every attempt); the original event
 * is `requestPayload`.
 */
export type Redrivable =
  | { ok: true; event: Record<string, unknown>; source: "rule target" | "failed invocation" }
  | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isEvent = (value: unknown): value is Record<string, unknown> => isObject(value) && "detail-type" in value && isObject(value.detail);

export function redrivable(body: string | undefined): Redrivable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  if (isObject(parsed) && isObject(parsed.requestContext) && "requestPayload" in parsed) {
    return isEvent(parsed.requestPayload)
      ? { ok: true, event: parsed.requestPayload, source: "failed invocation" }
      : { ok: false, reason: "the failure record's requestPayload is not an EventBridge event" };
  }
  if (isEvent(parsed)) return { ok: true, event: parsed, source: "rule target" };
  return { ok: false, reason: "neither an EventBridge event nor a Lambda failure record" };
}

/** `<orderId> <status>` of an order status event, or its id for any other event. */
export function describeEvent(event: Record<string, unknown>): string {
  const detail = isObject(event.detail) ? event.detail : {};
  if (typeof detail.orderId === "string" && typeof detail.status === "string") return `${detail.orderId} ${detail.status}`;
  return `event ${String(event.id ?? "(no id)")}`;
}
