/**
 * AWS's default quotas that bound one stage (us-east-1, one account), each with where AWS states it.
 * Defaults of a fresh account: most are raised through Service Quotas or AWS Support on request.
 * Checked 2026-12-02 against the pages named (some through copies in the search corpus).
 */
import * as Topology from "@awsomepets/core/platform/topology";

export type Quota = { value: number; unit: string; adjustable: boolean; source: string };

export const QUOTAS = {
  webSocketNewConnectionsPerSecond: {
    value: 500,
    unit: "new WebSocket connections per second, per account per region (all WebSocket APIs)",
    adjustable: true,
    source:
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html",
  },
  apiGatewayRequestsPerSecond: {
    value: 10_000,
    unit: "requests per second per account per region, across REST, HTTP and WebSocket APIs and @connections posts (burst 5,000)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
  },
  webSocketConnectionHours: {
    value: 2,
    unit: "hours a WebSocket connection may last (10 minutes idle)",
    adjustable: false,
    source:
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html",
  },
  lambdaConcurrentExecutions: {
    value: 1_000,
    unit: "concurrent executions per account per region, shared by every function without reserved concurrency",
    adjustable: true,
    source: "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
  },
  dynamodbPartitionWriteUnitsPerSecond: {
    value: 1_000,
    unit: "write units per second on one partition (one order's item is one partition key)",
    adjustable: false,
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
  },
  dynamodbPartitionReadUnitsPerSecond: {
    value: 3_000,
    unit: "read units per second on one partition",
    adjustable: false,
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html",
  },
  dynamodbOnDemandTableWriteUnitsPerSecond: {
    value: 40_000,
    unit: "write request units per second per on-demand table (table-level throughput quota)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html",
  },
  ssmGetParametersPerSecond: {
    value: 40,
    unit: "Parameter Store API transactions per second at standard throughput (GetParameters: one per new execution environment of a function that reads the token secret)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/general/latest/gr/ssm.html",
  },
  eventBridgePutEventsPerSecond: {
    value: 10_000,
    unit: "PutEvents requests per second in us-east-1 (soft)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
  },
  eventBridgeTargetInvocationsPerSecond: {
    value: 18_750,
    unit: "rule target invocations per second in us-east-1 (soft)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html",
  },
  stepFunctionsStartExecutionPerSecond: {
    value: 300,
    unit: "StartExecution per second, standard workflows, us-east-1 (refill rate; bucket 1,300)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
  },
  stepFunctionsStateTransitionsPerSecond: {
    value: 5_000,
    unit: "state transitions per second, standard workflows, us-east-1 (refill rate)",
    adjustable: true,
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html",
  },
  stepFunctionsOpenExecutions: {
    value: 1_000_000,
    unit: "open executions per account per region, standard workflows (ExecutionLimitExceeded past it; 'does not apply to Express workflows')",
    adjustable: true,
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/limits.html",
  },
  stepFunctionsExpressStartExecutionPerSecond: {
    value: 6_000,
    unit: "StartExecution per second, express workflows, us-east-1 (refill rate; bucket 6,000); no open-execution or state-transition quota applies to Express",
    adjustable: true,
    source:
      "https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html (the corpus's copy ends before its throttling table: the figures are AWS's as I know them)",
  },
  /** Declared once in core (the stacks' Express definition uses it). */
  stepFunctionsExpressDurationSeconds: {
    value: Topology.EXPRESS_MAX_DURATION_SECONDS,
    unit: "seconds an express execution may run (then it fails with a timeout)",
    adjustable: false,
    source: "https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html",
  },
} as const satisfies Record<string, Quota>;

export type QuotaName = keyof typeof QUOTAS;
