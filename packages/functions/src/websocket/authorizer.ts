/**
 * `$connect`'s Lambda REQUEST authorizer → OrderWSAuthorizerFunction: allows the upgrade and returns
 * the order's id as context, which API Gateway then hands to `$connect` and to every later route of
 * the connection (`requestContext.authorizer.orderId`, see Topology.WEBSOCKET_AUTHORIZER).
 *
 * It does NOT verify the token: `$connect` still does (signature, expiry, the order's socket cap),
 * against the orderId this returns, with the refusals it has always given (401, 403, 429). Checking
 * the token here too would only move those refusals to a second place. API Gateway answers a URL
 * without `orderId` or the edge's header (core's platform/origin-verify.ts) 401 before this runs; this denies
 * (403) a wrong edge value, and an id that is not a UUID, so that no later event carries an oversized
 * or odd context and every route may take the id as an order's.
 */
import type { APIGatewayAuthorizerWithContextResult } from "aws-lambda";
import * as z from "zod/mini";
import * as OriginVerify from "@awsomepets/core/platform/origin-verify";
import * as Topology from "@awsomepets/core/platform/topology";
import { originVerify } from "../lib/env";
import { lambdaHandler } from "../lib/handler";

const { maxOrderIdLength } = Topology.WEBSOCKET_AUTHORIZER;
const OrderId = z.uuid();

const AuthorizerEvent = z.looseObject({
  methodArn: z.string().check(z.minLength(1)),
  queryStringParameters: z.nullish(z.record(z.string(), z.optional(z.string()))),
  headers: z.nullish(z.record(z.string(), z.optional(z.string()))),
});

export type ConnectionContext = { orderId: string };
type Result =
  | APIGatewayAuthorizerWithContextResult<ConnectionContext>
  | APIGatewayAuthorizerWithContextResult<Record<string, never>>;

const policy = (effect: "Allow" | "Deny", methodArn: string) => ({
  Version: "2012-10-17",
  Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: methodArn }],
});

export const handler = lambdaHandler("OrderWSAuthorizerFunction", async (raw, { logger }): Promise<Result> => {
  const event = AuthorizerEvent.safeParse(raw);
  // Without a methodArn there is nothing to allow: API Gateway answers a thrown error with 500.
  if (!event.success) {
    logger.error("Malformed authorizer event", { issues: event.error.issues.map((i) => i.path.join(".")) });
    throw new Error("Malformed authorizer event");
  }
  const { methodArn } = event.data;
  // First: an upgrade that went around the edge. API Gateway answers a missing header 401 before this
  // runs (it is an identity source); a wrong one is denied here, in constant time, never logged.
  const edge = OriginVerify.verify(event.data.headers, originVerify());
  if (!edge.ok) {
    logger.warn("Connection denied", { reason: `not through the edge (${edge.reason})` });
    return { principalId: "anonymous", policyDocument: policy("Deny", methodArn), context: {} };
  }
  const orderId = event.data.queryStringParameters?.orderId ?? "";
  if (orderId === "" || orderId.length > maxOrderIdLength || !OrderId.safeParse(orderId).success) {
    // The id itself is logged only when short: a long one is what this guards against.
    const reason =
      orderId === ""
        ? "orderId missing"
        : orderId.length > maxOrderIdLength
          ? "orderId too long"
          : "orderId not a UUID";
    logger.warn("Connection denied", {
      reason,
      orderIdLength: orderId.length,
      ...(orderId.length <= maxOrderIdLength && { orderId }),
    });
    return { principalId: "anonymous", policyDocument: policy("Deny", methodArn), context: {} };
  }
  return { principalId: orderId, policyDocument: policy("Allow", methodArn), context: { orderId } };
});
