/**
 * `POST /orders` → CreateOrderFunction: validate the order, then place it (store, publish
 * `placed`, start the workflow) and answer 202 with the `clientCallbackUrl` to watch it on. A request
 * without the edge's header (core's platform/origin-verify.ts) is refused 403 before anything else.
 */
import * as Order from "@awsomepets/core/orders/request";
import * as Orders from "@awsomepets/core/orders/service";
import { bodyBytes, header, HttpEvent, json, problem, refusedAroundTheEdge } from "../lib/http";
import { originVerify } from "../lib/env";
import { lambdaHandler } from "../lib/handler";
import { orderDeps } from "../lib/order-deps";

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export const handler = lambdaHandler("CreateOrderFunction", async (raw, { logger }) => {
  const event = HttpEvent.safeParse(raw);
  if (!event.success) return problem(400, "Bad request");
  // First: a request that went around the edge (and its per-address limits) stores nothing and starts nothing.
  const aroundTheEdge = refusedAroundTheEdge(event.data, originVerify());
  if (aroundTheEdge) {
    logger.warn("Order refused: not through the edge", { reason: aroundTheEdge.reason });
    return aroundTheEdge.response;
  }
  const contentType = header(event.data, "content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return problem(415, "Send the order as JSON (Content-Type: application/json)");
  }
  const bytes = bodyBytes(event.data);
  if (bytes.length > Order.MAX_BODY_BYTES)
    return problem(413, `The order is larger than ${Order.MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString("utf8"));
  } catch {
    return problem(400, "The body is not valid JSON");
  }
  const request = Order.OrderRequest.safeParse(body);
  if (!request.success) return problem(400, "Invalid order", { errors: Order.fieldErrors(request.error) });
  const idempotencyKey = header(event.data, "idempotency-key");
  if (
    idempotencyKey !== undefined &&
    (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
  ) {
    return problem(400, `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  try {
    const result = await Orders.placeOrder(await orderDeps(), { request: request.data, idempotencyKey });
    if (result.kind === "idempotency_conflict") {
      return problem(422, "This Idempotency-Key was already used for a different order");
    }
    logger.info("Order placed", { orderId: result.orderId, idempotent: idempotencyKey !== undefined });
    return json(202, {
      statusCode: 202,
      status: result.status,
      orderId: result.orderId,
      clientCallbackUrl: result.clientCallbackUrl,
    });
  } catch (error) {
    logger.error("Placing the order failed", { error, idempotencyKey });
    return problem(500, "The order could not be placed; retry with the same Idempotency-Key");
  }
});
