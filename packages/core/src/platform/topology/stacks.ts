/** The app's and stacks' names, and the settings only `sst deploy` reads (never a function). */
/** The SST app name: stack names, resource names and SSM paths all start from it. */
export const APP_NAME = "awsomepets-callbacks";
export const stackName = (stage: string, stack: "Callbacks" | "Orders") => `${stage}-${APP_NAME}-${stack}`;

/**
 * The IAM role API Gateway writes WebSocket logs with, when the account and region has none set: IAM
 * is global, so one role of this name serves every region; it belongs to no stage (no stack removes it).
 */
export const API_GATEWAY_LOGS_ROLE_NAME = `${APP_NAME}-apigateway-cloudwatch-logs`;

/**
 * Deploy-time settings of the stacks themselves (environment variables of `sst deploy`, never of a
 * function), each name written here once; their defaults and ranges are in core's platform/tunables.ts.
 */
export const DEPLOY_ENV = {
  httpThrottleRate: "HTTP_API_THROTTLE_RATE",
  httpThrottleBurst: "HTTP_API_THROTTLE_BURST",
  /** The WebSocket stage's default: messages and `$disconnect`. */
  webSocketThrottleRate: "WEBSOCKET_THROTTLE_RATE",
  webSocketThrottleBurst: "WEBSOCKET_THROTTLE_BURST",
  /** `$connect`'s own. */
  webSocketConnectThrottleRate: "WEBSOCKET_CONNECT_THROTTLE_RATE",
  webSocketConnectThrottleBurst: "WEBSOCKET_CONNECT_THROTTLE_BURST",
  orderEventsArchiveDays: "ORDER_EVENTS_ARCHIVE_DAYS",
  /** The edge's rate-based rules: requests per source address per window (`EDGE_RULES`). */
  edgeOrdersPerAddress: "EDGE_ORDERS_PER_ADDRESS",
  edgeConnectsPerAddress: "EDGE_CONNECTS_PER_ADDRESS",
  edgeRequestsPerAddress: "EDGE_REQUESTS_PER_ADDRESS",
  /** Step Functions executions started in 5 minutes past which the bill guard alarms (`BILL_GUARD`). */
  billGuardExecutions: "BILL_GUARD_EXECUTIONS",
  /**
   * A stage's own domain for the edge (e.g. `shop.example.com`) and an ACM certificate in us-east-1
   * covering `*.<domain>`: both or neither. With them the APIs' execute-api endpoints are disabled,
   * so the edge is the only way in, and `@connections` goes through the WebSocket API's custom domain.
   */
  edgeDomain: "EDGE_DOMAIN",
  edgeCertificateArn: "EDGE_CERTIFICATE_ARN",
  /**
   * `DISPOSABLE_STAGE=true` declares a stage whose data may be lost (a branch, a test): its tables and
   * logs are destroyed with it and it may use the fallback secret. Unset, a stage keeps its data
   * (retained tables with point-in-time recovery, longer log retention): never a guess from its name.
   */
  disposableStage: "DISPOSABLE_STAGE",
  /** The order workflow's type, STANDARD or EXPRESS (`WORKFLOW_TYPES`); read by the stacks and by `npm start`. */
  orderWorkflowType: "ORDER_WORKFLOW_TYPE",
  /**
   * During a switch of type: the previous type, whose state machine is kept (no order starts on it)
   * until its executions in flight have ended; then deployed again without it. docs/deploy-and-operate.md.
   */
  orderWorkflowDraining: "ORDER_WORKFLOW_DRAINING",
  /** Days the functions' and APIs' logs are kept: one of CloudWatch's retention periods (stacks/operations.ts). */
  logRetentionDays: "LOG_RETENTION_DAYS",
  /** An e-mail address the alarms' SNS topic is subscribed to (optional; stacks/operations.ts). */
  alarmEmail: "ALARM_EMAIL",
} as const;
export type DeploySetting = keyof typeof DEPLOY_ENV;

/**
 * Whether a stage keeps data, from `DEPLOY_ENV.disposableStage` as given at deploy: unset, empty or `false`
 * keeps it; `true` declares the stage disposable; anything else is a mistake (thrown, naming the
 * variable), since a typo must not quietly destroy a shop's orders.
 */
export function stageKeepsData(env: Record<string, string | undefined>): boolean {
  const raw = env[DEPLOY_ENV.disposableStage];
  if (raw === undefined || raw === "" || raw === "false") return true;
  if (raw === "true") return false;
  throw new Error(
    `${DEPLOY_ENV.disposableStage}="${raw}" is not allowed: use true (a disposable stage) or leave it unset (the stage keeps its data)`,
  );
}
