/**
 * The AWS actions each function may call, declared once, on which resource: the stacks grant exactly
 * these (stacks/permissions.ts), and test/infra/permissions.test.ts checks them both ways — against
 * the calls each handler can reach, found from its code (rare paths included), and against the
 * synthesized templates' policies. An action here that no code reaches fails; so does a call no
 * grant covers. Why reachability and not a recorded run: docs/decisions/iam-from-reachable-calls.md.
 */
import type { DeployFunctionName, FunctionName } from "./topology";

type DynamoDbAction =
  | "dynamodb:GetItem"
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:Query"
  | "dynamodb:Scan";
/** `@connections`: IAM's `execute-api:ManageConnections`, on the stage's `{method}/@connections/*`. */
export type ConnectionsMethod = "GET" | "POST" | "DELETE";

/** What one function's role may do, per resource of the stacks (resources are the stacks' to name). */
export type Grants = {
  ClientCallbackTbl?: readonly DynamoDbAction[];
  OrdersTbl?: readonly DynamoDbAction[];
  "@connections"?: readonly ConnectionsMethod[];
  OrderWorkflow?: readonly "states:StartExecution"[];
  OrderEventBus?: readonly "events:PutEvents"[];
  /** The callback-token secrets' SSM parameters: SST's `bind` grants this, on their paths. */
  CallbackTokenSecrets?: readonly "ssm:GetParameters"[];
  /** API Gateway's account settings (a REST resource: IAM names the HTTP method). */
  ApiGatewayAccount?: readonly ("apigateway:GET" | "apigateway:PATCH")[];
  /** The account's API Gateway logs role (Topology.API_GATEWAY_LOGS_ROLE_NAME): PassRole is what setting it needs. */
  ApiGatewayLogsRole?: readonly ("iam:GetRole" | "iam:CreateRole" | "iam:PassRole")[];
  /** Attaching AWS's push-to-CloudWatch policy to that role, and no other policy (the stack's condition). */
  ApiGatewayLogsRolePolicy?: readonly "iam:AttachRolePolicy"[];
};
export type Resource = keyof Grants;

/**
 * Per function, only what its code calls — including the rare paths:
 * - `$connect`: `addConnection`'s conditional write; at the cap it reads the order's item, deletes it
 *   if expired but not yet swept by TTL, prunes or repairs the count, and asks `@connections` (GET)
 *   whether the sockets holding the places are still open. Never PutItem.
 * - `$disconnect`: one conditional UpdateItem; a failure is left to the TTLs (nothing read or deleted).
 * - `sync`: every message is one conditional write that returns the item (no GetItem); posts.
 * - the callback: records with UpdateItem; a duplicate is read back, an expired item deleted; posts,
 *   and forgets gone sockets (UpdateItem).
 */
export const FUNCTION_GRANTS = {
  OrderWSConnectFunction: {
    ClientCallbackTbl: ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:DeleteItem"],
    "@connections": ["GET"],
    CallbackTokenSecrets: ["ssm:GetParameters"],
  },
  // Reads only the query.
  OrderWSAuthorizerFunction: {},
  OrderWSDisconnectFunction: { ClientCallbackTbl: ["dynamodb:UpdateItem"] },
  OrderWSPendingFunction: { ClientCallbackTbl: ["dynamodb:UpdateItem"], "@connections": ["POST"] },
  OrderWSCallbackFunction: {
    ClientCallbackTbl: ["dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:DeleteItem"],
    "@connections": ["POST"],
  },
  OrderStatusProjectionFunction: { OrdersTbl: ["dynamodb:UpdateItem"] },
  // Claims the idempotency key (PutItem, read back on a retry), stores the order, publishes `placed`,
  // starts the workflow and notes it on the order (UpdateItem), so that a retry starts none.
  CreateOrderFunction: {
    OrdersTbl: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"],
    OrderWorkflow: ["states:StartExecution"],
    OrderEventBus: ["events:PutEvents"],
    CallbackTokenSecrets: ["ssm:GetParameters"],
  },
  GetOrderFunction: { OrdersTbl: ["dynamodb:GetItem"], CallbackTokenSecrets: ["ssm:GetParameters"] },
  GetCatalogueFunction: {},
  // The steps record what they did once, by conditional writes, and read it back when they lose (orders/saga.ts).
  ReserveInventoryFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  // Records the outcome and removes the card token.
  ProcessPaymentFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  CompleteOrderFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  ReleaseInventoryFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  ProcessRefundFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  // Removes the card token of an order cancelled before payment.
  CancelOrderFunction: { OrdersTbl: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
  ApiGatewayAccountFunction: {
    ApiGatewayAccount: ["apigateway:GET", "apigateway:PATCH"],
    ApiGatewayLogsRole: ["iam:GetRole", "iam:CreateRole", "iam:PassRole"],
    ApiGatewayLogsRolePolicy: ["iam:AttachRolePolicy"],
  },
} as const satisfies Record<FunctionName | DeployFunctionName, Grants>;

/** The IAM actions `name` is granted on `resource` (none if the declaration names none). */
export function actionsOn(
  name: FunctionName | DeployFunctionName,
  resource: Exclude<Resource, "@connections">,
): string[] {
  return [...((FUNCTION_GRANTS[name] as Grants)[resource] ?? [])];
}

/** The `@connections` methods `name` may call. */
export function connectionsMethods(name: FunctionName | DeployFunctionName): ConnectionsMethod[] {
  return [...((FUNCTION_GRANTS[name] as Grants)["@connections"] ?? [])];
}

/**
 * Every action of `name`, resources aside, as one flat set to compare: `@connections` methods as
 * `execute-api:ManageConnections <METHOD>`, since IAM tells them apart only by the resource.
 */
export function allActions(name: FunctionName | DeployFunctionName): string[] {
  const grants = FUNCTION_GRANTS[name] as Grants;
  return Object.entries(grants)
    .flatMap(([resource, actions]) =>
      resource === "@connections" ? actions.map((m: string) => `execute-api:ManageConnections ${m}`) : [...actions],
    )
    .sort();
}
