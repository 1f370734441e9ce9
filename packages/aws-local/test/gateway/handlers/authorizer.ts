/**
 * Functions for the authorizer tests, run in the Lambda pool's execution environments: an authorizer
 * whose answer the upgrade's `?answer=` chooses, and a route function that admits everything.
 */
type AuthorizerEvent = { methodArn: string; queryStringParameters: Record<string, string> | null };

const policy = (effect: "Allow" | "Deny", resource: string, context: Record<string, unknown>) => ({
  principalId: "customer",
  policyDocument: {
    Version: "2012-10-17",
    Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }],
  },
  context,
});

export async function authorize(event: AuthorizerEvent) {
  const orderId = event.queryStringParameters?.orderId ?? "";
  switch (event.queryStringParameters?.answer) {
    case "deny":
      return policy("Deny", event.methodArn, {});
    case "unauthorized":
      throw new Error("Unauthorized");
    case "throw":
      throw new Error("database unreachable");
    case "nested":
      return policy("Allow", event.methodArn, { orderId: { id: orderId } });
    case "other-route":
      return policy("Allow", event.methodArn.replace("$connect", "$default"), { orderId });
    case "hang":
      return new Promise(() => {});
    default:
      return policy("Allow", event.methodArn, { orderId, attempt: 1, trusted: true });
  }
}

export const route = async () => ({ statusCode: 200 });
