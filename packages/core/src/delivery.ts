/**
 * Posting frames to WebSocket connections through API Gateway's `@connections` API, with bounded
 * concurrency, sorting each failure into what the caller must do about it.
 */
import { GetConnectionCommand, PostToConnectionCommand, type ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import pLimit from "p-limit";

/** Posts in flight at once per invocation: enough to fan out to 1,000 sockets quickly, few enough to
 * stay under the account's `@connections` rate and the Lambda's sockets. */
export const DEFAULT_CONCURRENCY = 64;

export type PostOutcome =
  | { connectionId: string; result: "delivered" }
  /** 410: the connection is closed (or, during `$connect`, not open yet). */
  | { connectionId: string; result: "gone" }
  /** Throttling or a 5xx: worth retrying the whole event. */
  | { connectionId: string; result: "retryable"; error: unknown }
  /** Any other 4xx (403, 413, …): retrying cannot help. */
  | { connectionId: string; result: "rejected"; error: unknown };

type SdkError = { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };

export function classify(error: unknown): PostOutcome["result"] {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === "GoneException" || status === 410) return "gone";
  if (status === 429 || e.name === "LimitExceededException" || e.name === "ThrottlingException") return "retryable";
  if (status === undefined || status >= 500 || e.$retryable) return "retryable"; // network errors have no status
  return "rejected";
}

const encoder = new TextEncoder();

export async function postToConnection(client: ApiGatewayManagementApiClient, connectionId: string, data: string | Uint8Array) {
  try {
    await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: typeof data === "string" ? encoder.encode(data) : data }));
    return { connectionId, result: "delivered" } as PostOutcome;
  } catch (error) {
    const result = classify(error);
    return (result === "delivered" ? { connectionId, result } : { connectionId, result, error }) as PostOutcome;
  }
}

/** Posts the same frame to every connection, at most `concurrency` at a time. Never throws. */
export async function postToAll(
  client: ApiGatewayManagementApiClient,
  connectionIds: readonly string[],
  data: string,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<PostOutcome[]> {
  const limit = pLimit(concurrency);
  const bytes = encoder.encode(data); // once for every connection
  return Promise.all(connectionIds.map((id) => limit(() => postToConnection(client, id, bytes))));
}

/** Asks API Gateway whether a socket is open: true, false (410 Gone), or undefined (could not tell). */
export async function isConnectionOpen(client: ApiGatewayManagementApiClient, connectionId: string): Promise<boolean | undefined> {
  try {
    await client.send(new GetConnectionCommand({ ConnectionId: connectionId }));
    return true;
  } catch (error) {
    return classify(error) === "gone" ? false : undefined;
  }
}
