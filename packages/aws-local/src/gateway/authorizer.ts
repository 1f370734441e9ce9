/**
 * A Lambda REQUEST authorizer on `$connect`, as API Gateway runs it: a missing or empty identity
 * source is 401 without invoking the function; the function throwing "Unauthorized" is 401, a policy
 * denying `$connect` 403, any other error, timeout or malformed output 500 (authorizer-policy.ts);
 * once allowed, every route of the connection gets `requestContext.authorizer` = `{ principalId,
 * ...context }`. AWS's sources and the evidence for that last part, and the smoke checks that test it
 * on a stage: docs/decisions/authorizer-context-on-every-route.md.
 */
import type { Connection } from "./connections";
import { buildAuthorizerEvent, type AuthorizerContext, type WebSocketProxyEvent } from "./events";
import { evaluateAuthorizerResult } from "./authorizer-policy";
import type { WebSocketAuthorizer } from "./options";
import type { RouteInvoker, RouteOutcome } from "./route-invocation";

const JSON_HEADERS = { "Content-Type": "application/json" };
/** API Gateway's answer to the upgrade, and the cause, for the log. */
const refusal = (statusCode: number, message: string, reason: string) => ({
  allowed: false as const,
  statusCode,
  body: Buffer.from(JSON.stringify({ message })),
  headers: JSON_HEADERS,
  reason,
});
const UNAUTHORIZED = (reason: string) => refusal(401, "Unauthorized", reason);
const INTERNAL_ERROR = (reason: string) => refusal(500, "Internal server error", reason);

type IdentitySource = { from: "header" | "querystring"; name: string };

export type ConnectAuthorizer = {
  functionName: string;
  identitySources: IdentitySource[];
  methodArn: (apiId: string) => string;
};

export type AuthorizerVerdict = { allowed: true; authorizer: AuthorizerContext } | ReturnType<typeof refusal>;

const SOURCE = /^route\.request\.(header|querystring)\.(.+)$/;

/** Checked when the gateway starts: an expression this emulator does not read would admit everyone. */
export function connectAuthorizer(
  options: WebSocketAuthorizer,
  region: string,
  accountId: string,
  stage: string,
): ConnectAuthorizer {
  if (options.identitySource.length === 0)
    throw new Error("The $connect authorizer needs at least one identity source");
  const identitySources = options.identitySource.map((expression) => {
    const match = SOURCE.exec(expression);
    if (!match)
      throw new Error(
        `Unsupported identity source ${expression} (route.request.header.<name> or route.request.querystring.<name>)`,
      );
    return { from: match[1] as IdentitySource["from"], name: match[2]! };
  });
  return {
    functionName: options.functionName,
    identitySources,
    methodArn: (apiId) => `arn:aws:execute-api:${region}:${accountId}:${apiId}/${stage}/$connect`,
  };
}

/** Header names compare without case, query parameters with it. */
function identityValue(event: WebSocketProxyEvent, source: IdentitySource) {
  if (source.from === "querystring") return event.queryStringParameters?.[source.name];
  const name = source.name.toLowerCase();
  return Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** Runs the authorizer for a `$connect` event; `$connect` itself then runs only if it allowed. */
export async function authorize(
  authorizer: ConnectAuthorizer,
  invokeRoute: RouteInvoker,
  connection: Connection,
  connectEvent: WebSocketProxyEvent,
): Promise<AuthorizerVerdict> {
  if (authorizer.identitySources.some((source) => !identityValue(connectEvent, source))) {
    return UNAUTHORIZED("identity source missing or empty");
  }
  const methodArn = authorizer.methodArn(connectEvent.requestContext.apiId);
  let verdict: AuthorizerVerdict = INTERNAL_ERROR("not invoked");
  await invokeRoute(connection, buildAuthorizerEvent(connectEvent, methodArn), {
    functionName: authorizer.functionName,
    // The log shows the answer the client got (a Deny is a function's success, and the client's 403).
    answer: (outcome) => {
      verdict = verdictOf(outcome, methodArn);
      return verdict.allowed ? { status: 200 } : { status: verdict.statusCode, error: verdict.reason };
    },
  });
  return verdict;
}

function verdictOf(outcome: RouteOutcome, methodArn: string): AuthorizerVerdict {
  if (!outcome.ok && "throttled" in outcome) return refusal(429, "Too Many Requests", "throttled");
  if (!outcome.ok) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    return message === "Unauthorized"
      ? UNAUTHORIZED("the authorizer answered Unauthorized")
      : INTERNAL_ERROR(`the authorizer failed: ${message}`);
  }
  const decision = evaluateAuthorizerResult(outcome.result, methodArn);
  if ("malformed" in decision) return INTERNAL_ERROR(`malformed authorizer output: ${decision.malformed}`);
  if (decision.effect === "Deny") return refusal(403, "Forbidden", "denied by the authorizer's policy");
  return { allowed: true, authorizer: decision.authorizer };
}
