/**
 * What API Gateway makes of a Lambda authorizer's output ("Output from an API Gateway Lambda
 * authorizer", docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html):
 * `{ principalId, policyDocument, context }`, the policy's statements evaluated against the request's
 * `methodArn` as IAM does (an explicit Deny wins, no matching Allow is a Deny), and the context's values
 * strings, numbers or booleans only — an object or array there is a configuration error (500), as is a
 * missing principal or policy.
 */
import type { AuthorizerContext } from "./events";

export type AuthorizerDecision =
  | { effect: "Allow"; authorizer: AuthorizerContext }
  | { effect: "Deny" }
  | { malformed: string };

type Statement = { Effect?: unknown; Action?: unknown; Resource?: unknown };

const SCALARS = new Set(["string", "number", "boolean"]);

export function evaluateAuthorizerResult(result: unknown, methodArn: string): AuthorizerDecision {
  if (typeof result !== "object" || result === null) return { malformed: "the authorizer returned no policy" };
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== "string" || principalId === "") return { malformed: "principalId is missing" };
  const statements = statementsOf(policyDocument);
  if (statements === undefined) return { malformed: "policyDocument has no Statement" };
  if (statements.some((statement) => statement.Effect !== "Allow" && statement.Effect !== "Deny")) {
    return { malformed: "a statement's Effect is neither Allow nor Deny" };
  }
  const matching = statements.filter(
    (statement) =>
      anyMatches(statement.Action, "execute-api:Invoke", true) && anyMatches(statement.Resource, methodArn, false),
  );
  if (
    matching.some((statement) => statement.Effect === "Deny") ||
    !matching.some((statement) => statement.Effect === "Allow")
  ) {
    return { effect: "Deny" };
  }
  if (context !== undefined && context !== null && (typeof context !== "object" || Array.isArray(context))) {
    return { malformed: "context is not a map" };
  }
  const entries = Object.entries((context ?? {}) as Record<string, unknown>);
  const nonScalar = entries.find(([, value]) => !SCALARS.has(typeof value));
  if (nonScalar) return { malformed: `context.${nonScalar[0]} is not a string, number or boolean` };
  // Handed on as strings, as the documentation's own example context writes them ("numberKey": "1"):
  // a route handler must not count on a number arriving as one.
  return {
    effect: "Allow",
    authorizer: { ...Object.fromEntries(entries.map(([key, value]) => [key, String(value)])), principalId },
  };
}

/** IAM accepts one statement or a list of them. */
function statementsOf(policyDocument: unknown): Statement[] | undefined {
  if (typeof policyDocument !== "object" || policyDocument === null) return undefined;
  const statement = (policyDocument as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? undefined : [statement];
  if (list === undefined || list.some((item) => typeof item !== "object" || item === null)) return undefined;
  return list as Statement[];
}

/** IAM's wildcards: `*` any run of characters, `?` one; actions compare without case. */
function anyMatches(patterns: unknown, value: string, ignoreCase: boolean) {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((pattern) => {
    if (typeof pattern !== "string") return false;
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
  });
}
