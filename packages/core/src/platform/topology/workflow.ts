/** The order workflow's state machine: its ASL file, the function behind each task, and its two types. */
import type { FunctionName } from "./functions";

/**
 * The order workflow: its ASL file, and the function behind each `${<State>FunctionArn}` placeholder.
 * The stack substitutes real ARNs; the local runtime runs the same states with the same modules.
 */
export const WORKFLOW = {
  name: "OrderWorkflow",
  definitionFile: "packages/core/src/orders/workflow.asl.json",
  eventBusPlaceholder: "EventBusName",
  tasks: {
    ReserveInventory: "ReserveInventoryFunction",
    ProcessPayment: "ProcessPaymentFunction",
    CompleteOrder: "CompleteOrderFunction",
    ReleaseInventory: "ReleaseInventoryFunction",
    ProcessRefund: "ProcessRefundFunction",
    CancelOrder: "CancelOrderFunction",
  },
} as const satisfies { tasks: Record<string, FunctionName> } & Record<string, unknown>;

export const taskPlaceholder = (state: keyof typeof WORKFLOW.tasks) => `${state}FunctionArn`;

/**
 * The order workflow's two types (`ORDER_WORKFLOW_TYPE`, core's platform/tunables.ts): Standard runs an
 * execution exactly once, keeps its history (GetExecutionHistory, 90 days) and bills every state
 * transition; asynchronous Express runs it at least once, keeps no history (its log group keeps
 * failed executions, with their state), ends it after 5 minutes, and bills requests and duration. The saga's steps are
 * idempotent by order (orders/saga.ts), so both give the customer the same order;
 * docs/decisions/express-order-workflow.md.
 */
export const WORKFLOW_TYPES = ["STANDARD", "EXPRESS"] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/**
 * The state machine's name per type, so that during a switch both exist (the new one takes new
 * orders, the old one finishes those in flight): Standard keeps the name stages were deployed with.
 */
export const workflowName = (type: WorkflowType) => (type === "STANDARD" ? WORKFLOW.name : `${WORKFLOW.name}Express`);

/**
 * AWS's limits on an Express execution: it ends (TIMED_OUT, `States.Timeout`) after 5 minutes whatever
 * the definition's TimeoutSeconds; per the "Quotas for Express Workflows" page
 * (https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html). The app's one declaration
 * (the stacks' definition, bench/capacity/quotas.ts); the local Step Functions, which imports nothing
 * from the app, models it with its own EXPRESS_MAX_DURATION_MS, checked equal in packages/local's tests.
 */
export const EXPRESS_MAX_DURATION_SECONDS = 300;

/**
 * The definition deployed for a type: the ASL file as it is, except that an Express one's own timeout
 * is at most Express's limit (the file's 3,600 s would never be reached; saying 300 makes the template
 * and the local model agree on when an order's execution is cut).
 */
export function workflowDefinitionFor<T extends { TimeoutSeconds?: number }>(definition: T, type: WorkflowType): T {
  if (type === "STANDARD") return definition;
  return {
    ...definition,
    TimeoutSeconds: Math.min(definition.TimeoutSeconds ?? EXPRESS_MAX_DURATION_SECONDS, EXPRESS_MAX_DURATION_SECONDS),
  };
}
