/**
 * The API Gateway `@connections` client, in its own module so that only the functions that post
 * (or ask after a connection) bundle it. Callers create it once per container.
 */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { MANAGEMENT_TIMEOUTS } from "../platform/deadline";

/**
 * The `@connections` client of one WebSocket stage, e.g. `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`.
 * Its socket pool holds as many connections as a fan-out keeps posts in flight (the SDK's default
 * pool of 50 would queue the rest behind it).
 */
export function managementClient(endpoint: string, maxSockets = 50, timeouts = MANAGEMENT_TIMEOUTS) {
  const agent = { keepAlive: true, maxSockets };
  return new ApiGatewayManagementApiClient({
    endpoint,
    // A post that gets no answer must not hold the invocation (and the pool) until the Lambda times
    // out: it fails as retryable, and the event's retry policy takes over. `throwOnRequestTimeout`:
    // without it the SDK only logs a warning and keeps waiting.
    requestHandler: {
      httpAgent: agent,
      httpsAgent: agent,
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
