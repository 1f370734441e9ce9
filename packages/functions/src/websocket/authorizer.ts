/**
 * `$connect`'s Lambda REQUEST authorizer → OrderWSAuthorizerFunction: allows the upgrade and returns
 * the order's id as context, which API Gateway then hands to `$connect` and to every later route of
 * the connection (`requestContext.authorizer.orderId`, see Topology.WEBSOCKET_AUTHORIZER).
 *
 * It does NOT verify the token: `$connect` still does (signature, expiry, the order's socket cap),
 * with the refusals it has always given (401, 403, 429, 400 for an id that is not a UUID). Checking
 * the token here too would only move those refusals to a second place. API Gateway answers a URL
 * without `orderId` 401 before this runs; this denies only an id too long to be one (403), so
 * that no later event carries an oversized context.
 */
import type { APIGatewayAuthorizerWithContextResult } from "aws-lambda";
import * as z from "zod/mini";
import { WEBSOCKET_AUTHORIZER } from "@awsomepets/core/topology";
import { lambdaHandler } from "../lib/handler";

const { maxOrderIdLength } = WEBSOCKET_AUTHORIZER;

const AuthorizerEvent = z.looseObject({
  methodArn: z.string().check(z.minLength(1)),
  queryStringParameters: z.nullish(z.record(z.string(), z.optional(z.string()))),
});

export type ConnectionContext = { orderId: string };
type Result = APIGatewayAuthorizerWithContextResult<ConnectionContext> | APIGatewayAuthorizerWithContextResult<Record<string, never>>;

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
  const orderId = event.data.queryStringParameters?.orderId ?? "";
  if (orderId === "" || orderId.length > maxOrderIdLength) {
    logger.warn("Connection denied", { reason: "orderId missing or too long", orderIdLength: orderId.length });
    return { principalId: "anonymous", policyDocument: policy("Deny", methodArn), context: {} };
  }
  return { principalId: orderId, policyDocument: policy("Allow", methodArn), context: { orderId } };
});
