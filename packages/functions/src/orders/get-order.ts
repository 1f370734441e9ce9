/**
 * `GET /orders/{orderId}` → GetOrderFunction: the order's status and history, for its token holder.
 * The token is read from `Authorization: Bearer` only: a query string lands in access logs, browser
 * history and forwarded links.
 */
import * as z from "zod/mini";
import * as Orders from "@awsomepets/core/orders/service";
import { header, HttpEvent, json, problem, refusedAroundTheEdge } from "../lib/http";
import { lambdaHandler } from "../lib/handler";
import { orderStore } from "../lib/order-store";
import { callbackTokenKeysFor } from "../lib/secrets";
import { originVerify, stage } from "../lib/env";

const isUuid = (value: string | undefined): value is string => z.uuid().safeParse(value).success;

export const handler = lambdaHandler("GetOrderFunction", async (raw, { logger }) => {
  const event = HttpEvent.safeParse(raw);
  if (!event.success) return problem(400, "Bad request");
  // Through the edge only: its per-address limits are what stop one client guessing at tokens.
  const aroundTheEdge = refusedAroundTheEdge(event.data, originVerify());
  if (aroundTheEdge) {
    logger.warn("Order view refused: not through the edge", { reason: aroundTheEdge.reason });
    return aroundTheEdge.response;
  }
  const orderId = event.data.pathParameters?.orderId;
  if (!isUuid(orderId)) return problem(400, "orderId must be a UUID");
  const token = /^Bearer\s+(\S+)$/i.exec(header(event.data, "authorization") ?? "")?.[1];
  try {
    const result = await Orders.viewOrder(
      { store: orderStore(), tokenKeys: await callbackTokenKeysFor(token), stage: stage() },
      { orderId, token },
    );
    if (result.kind === "forbidden") {
      logger.warn("Order view refused", { orderId, reason: result.reason });
      return problem(403, `Forbidden: ${result.reason}`);
    }
    if (result.kind === "not_found") return problem(404, "No such order");
    return json(200, result.order);
  } catch (error) {
    logger.error("Reading the order failed", { orderId, error });
    return problem(500, "Internal error");
  }
});
