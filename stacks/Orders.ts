/**
 * The order service: `OrdersTbl`, the order API (`POST /orders`, `GET /orders/{orderId}`,
 * `GET /catalogue`), the saga's state machine (one ASL file shared with the local runtime) and its
 * task functions, the projection rule on the order bus, and an archive of the order events.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Duration, Lazy } from "aws-cdk-lib";
import { Archive } from "aws-cdk-lib/aws-events";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from "aws-cdk-lib/aws-stepfunctions";
import { Api, Function as SstFunction, Table, use, type StackContext } from "sst/constructs";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import * as OrderStatus from "@awsomepets/core/status/event";

import { Callbacks } from "./Callbacks";
import { NAME_LIMITS, prefixedName } from "./names";
import { ORDERS_STACK_SUPPRESSIONS, suppressNagFindings } from "./nag";
import { createdOrAdopted } from "./tables";
import {
  accessLogFormat,
  HTTP_ACCESS_LOG_FIELDS,
  logGroup,
  OperatorAlarms,
  retainLogsOfEveryFunction,
  vendedLogGroup,
} from "./operations";
import { stageKeepsData } from "./stage";
import { workflowSettings } from "./deploy-settings";
import { Edge, edgeHostNames } from "./edge";
import { ApiMapping, type CfnApi, DomainName } from "aws-cdk-lib/aws-apigatewayv2";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import { CfnOutput } from "aws-cdk-lib";
import { ComparisonOperator } from "aws-cdk-lib/aws-cloudwatch";
import { runtimeProps } from "./function-runtime";
import { DeadLetterDestination, policyStatementsOf, secretsToBind, type GrantTargets } from "./permissions";

export function Orders({ stack, app }: StackContext) {
  const { bus, webSocketOrigin, originVerify, edgeDomain, tokenSecrets, operations, tunables, throttles, alarmTopic } =
    use(Callbacks);
  const alarms = new OperatorAlarms(stack, alarmTopic);
  retainLogsOfEveryFunction(stack, operations);
  const logs = (name: string) => ({ logGroup: logGroup(stack, `${name}Logs`, operations) });
  const keepsData = stageKeepsData(process.env);

  // The orders themselves: kept by a stage that keeps data, and adoptable again after a removal
  // (ADOPT_ORDERS_TABLE=<retained table name> at deploy; see stacks/tables.ts and docs/deploy-and-operate.md).
  const ordersTable = new Table(
    stack,
    "OrdersTbl",
    createdOrAdopted(
      stack,
      "OrdersTbl",
      "ADOPT_ORDERS_TABLE",
      {
        fields: { [OrdersTable.PARTITION_KEY]: "string" },
        primaryIndex: { partitionKey: OrdersTable.PARTITION_KEY },
        timeToLiveAttribute: OrdersTable.TTL_ATTRIBUTE,
      },
      keepsData,
    ),
  );
  // What each function may do comes from core's declaration (Permissions.FUNCTION_GRANTS), found
  // equal to what its code calls (test/infra/permissions.test.ts); the stack names the resources.
  // The saga's steps read the order's item (the workflow's input holds nothing personal).
  const targets: GrantTargets = { OrdersTbl: { arn: ordersTable.tableArn } };

  const tasks = Object.fromEntries(
    Object.entries(Topology.WORKFLOW.tasks).map(([state, name]) => {
      return [
        state,
        new SstFunction(stack, name, {
          handler: Topology.FUNCTIONS[name],
          ...runtimeProps(name),
          ...logs(name),
          environment: Topology.environmentOf(name, { ordersTable: ordersTable.tableName }),
          permissions: policyStatementsOf(name, targets),
        }),
      ];
    }),
  ) as Record<keyof typeof Topology.WORKFLOW.tasks, SstFunction>;

  // The order workflow of the stage's type (ORDER_WORKFLOW_TYPE), and during a switch of type the
  // previous one (ORDER_WORKFLOW_DRAINING): kept, with its alarms, until the orders in flight on it
  // have ended; no new order starts on it (docs/deploy-and-operate.md, "The order workflow's type").
  const { orderWorkflowType, orderWorkflowDraining } = workflowSettings(process.env);
  const definition = readFileSync(path.join(app.appPath, Topology.WORKFLOW.definitionFile), "utf8");
  const workflowOf = (type: Topology.WorkflowType) => {
    const name = Topology.workflowName(type);
    const stateMachineName = prefixedName(app, name, NAME_LIMITS.stateMachine);
    const express = type === "EXPRESS";
    const machine = new StateMachine(stack, name, {
      stateMachineName,
      stateMachineType: express ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      // ERROR: failed and timed-out executions only. Standard without data (its history holds the rest
      // for 90 days). Express keeps no history: with data, its failure events are what an operator
      // reads instead — a StatusesNotPublished cause is the execution's state as JSON (the ASL's
      // HandOverUnpublished), nothing personal. Level ALL would log every event of every order,
      // ~23 KB each, $11 per million orders (bench/RESULTS.md): an order's own items say what it did.
      logs: {
        destination: vendedLogGroup(stack, `${name}Logs`, operations, "states", stateMachineName),
        level: LogLevel.ERROR,
        includeExecutionData: express,
      },
      tracingEnabled: true,
      // Inline, not an S3 asset: the template then shows (and the tests check) the exact definition;
      // Express's with its own timeout within Express's 5 minutes (Topology.workflowDefinitionFor).
      definitionBody: DefinitionBody.fromString(
        express ? JSON.stringify(Topology.workflowDefinitionFor(JSON.parse(definition), type), null, 2) : definition,
      ),
      definitionSubstitutions: {
        [Topology.WORKFLOW.eventBusPlaceholder]: bus.eventBusName,
        ...Object.fromEntries(
          Object.entries(tasks).map(([state, fn]) => [
            Topology.taskPlaceholder(state as keyof typeof tasks),
            fn.functionArn,
          ]),
        ),
      },
    });
    for (const fn of Object.values(tasks)) fn.grantInvoke(machine);
    bus.cdk.eventBus.grantPutEventsTo(machine);
    return machine;
  };
  const stateMachine = workflowOf(orderWorkflowType);
  const drained = orderWorkflowDraining === "NONE" ? undefined : workflowOf(orderWorkflowDraining);
  targets.OrderWorkflow = { arn: stateMachine.stateMachineArn };
  targets.OrderEventBus = { arn: bus.eventBusArn };

  // The edge in front of both APIs (stacks/edge.ts): its WebSocket URL is the base of every
  // clientCallbackUrl, so customers' sockets go through its per-address limits.
  let httpOrigin = "";
  const edge = new Edge(stack, "Edge", {
    rules: Tunables.edgeRulesOf(tunables),
    // Known once the API exists (below); a token until deploy.
    httpOrigin: Lazy.string({ produce: () => httpOrigin }),
    webSocketOrigin: webSocketOrigin.host,
    webSocketPath: webSocketOrigin.path,
    originVerify,
    domain: edgeDomain,
    logRetention: operations.logRetentionDays,
  });

  // Each function's environment comes from core's wiring contract (Topology.WIRING).
  const settings = {
    ordersTable: ordersTable.tableName,
    stateMachineArn: stateMachine.stateMachineArn,
    eventBusName: bus.eventBusName,
    websocketUrl: edge.webSocketUrl,
    stage: app.stage,
    stageKeepsData: String(keepsData),
    orderRetentionDays: String(tunables.orderRetentionDays),
    originVerify,
  };
  const createOrder = new SstFunction(stack, "CreateOrderFunction", {
    handler: Topology.FUNCTIONS.CreateOrderFunction,
    ...runtimeProps("CreateOrderFunction"),
    ...logs("CreateOrderFunction"),
    environment: Topology.environmentOf("CreateOrderFunction", settings),
    bind: secretsToBind("CreateOrderFunction", tokenSecrets),
    permissions: policyStatementsOf("CreateOrderFunction", targets),
  });
  const getOrder = new SstFunction(stack, "GetOrderFunction", {
    handler: Topology.FUNCTIONS.GetOrderFunction,
    ...runtimeProps("GetOrderFunction"),
    ...logs("GetOrderFunction"),
    environment: Topology.environmentOf("GetOrderFunction", settings),
    bind: secretsToBind("GetOrderFunction", tokenSecrets),
    permissions: policyStatementsOf("GetOrderFunction", targets),
  });
  const getCatalogue = new SstFunction(stack, "GetCatalogueFunction", {
    handler: Topology.FUNCTIONS.GetCatalogueFunction,
    ...runtimeProps("GetCatalogueFunction"),
    ...logs("GetCatalogueFunction"),
    permissions: policyStatementsOf("GetCatalogueFunction", targets),
  });
  const routeFunctions = {
    CreateOrderFunction: createOrder,
    GetOrderFunction: getOrder,
    GetCatalogueFunction: getCatalogue,
  };

  const api = new Api(stack, "OrderAPI", {
    defaults: { throttle: { rate: throttles.http.rateLimit, burst: throttles.http.burstLimit } },
    accessLog: {
      destinationArn: logGroup(stack, "OrderAPIAccessLogs", operations).logGroupArn,
      format: accessLogFormat(HTTP_ACCESS_LOG_FIELDS).toString(),
    },
    cors: {
      allowOrigins: ["*"],
      allowMethods: ["GET", "POST"],
      allowHeaders: ["content-type", "authorization", "idempotency-key"],
    },
    routes: Object.fromEntries(
      Object.entries(Topology.HTTP_ROUTES).map(([route, name]) => [route, routeFunctions[name]]),
    ),
  });
  httpOrigin = `${api.httpApiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  if (edgeDomain) {
    // With a domain of its own the API is reached only through the edge (see Callbacks). On the
    // CloudFormation resource: SST's Api reads the execute-api URL, which the L2 then refuses to give.
    (api.cdk.httpApi.node.defaultChild as CfnApi).disableExecuteApiEndpoint = true;
    const host = edgeHostNames(edgeDomain.domainName).apiOrigin;
    const domainName = new DomainName(stack, "OrderAPIDomain", {
      domainName: host,
      certificate: Certificate.fromCertificateArn(stack, "EdgeCertificate", edgeDomain.certificateArn),
    });
    new ApiMapping(stack, "OrderAPIMapping", {
      api: api.cdk.httpApi,
      domainName,
      stage: api.cdk.httpApi.defaultStage!,
    });
    httpOrigin = host;
    new CfnOutput(stack, "EdgeDnsApiOrigin", {
      value: `${host} CNAME ${domainName.regionalDomainName}`,
      description: "DNS record to create",
    });
  }

  const projection = new SstFunction(stack, "OrderStatusProjectionFunction", {
    handler: Topology.FUNCTIONS.OrderStatusProjectionFunction,
    ...runtimeProps("OrderStatusProjectionFunction"),
    ...logs("OrderStatusProjectionFunction"),
    environment: Topology.environmentOf("OrderStatusProjectionFunction", settings),
    permissions: policyStatementsOf("OrderStatusProjectionFunction", targets),
  });
  const rule = Topology.EVENT_RULES.OrderStatusToProjection;
  const retry = {
    retryAttempts: rule.retryPolicy.retryAttempts,
    maxEventAge: Duration.seconds(rule.retryPolicy.maximumEventAgeSeconds),
  };
  const deadLetters = new Queue(stack, "OrderStatusProjectionDLQ", {
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });
  projection.configureAsyncInvoke({ ...retry, onFailure: new DeadLetterDestination(deadLetters) });
  alarms.deadLetterQueue("OrderStatusProjectionDLQ", deadLetters, "A status the order projection never applied");
  for (const [name, fn] of Object.entries({ ...routeFunctions, OrderStatusProjectionFunction: projection }))
    alarms.lambda(name, fn);
  // A step whose state catches errors reports a business outcome (sold out, card declined) by
  // throwing: an error of its function is no alarm (the order ends cancelled); a throttle is.
  const catching = new Set(
    Object.entries(JSON.parse(definition).States as Record<string, { Catch?: unknown[] }>)
      .filter(([, state]) => state.Catch?.length)
      .map(([name]) => name),
  );
  for (const [state, fn] of Object.entries(tasks)) alarms.lambda(fn.node.id, fn, { errors: !catching.has(state) });
  // Both types publish ExecutionsFailed, ExecutionsTimedOut and ExecutionsStarted to CloudWatch
  // (AWS/States, by StateMachineArn): the same alarms for either, and for a drained one until it goes.
  for (const [type, machine] of [
    [orderWorkflowType, stateMachine],
    ...(drained ? [[orderWorkflowDraining, drained]] : []),
  ] as Array<[Topology.WorkflowType, StateMachine]>) {
    const name = Topology.workflowName(type);
    const where =
      type === "EXPRESS"
        ? "its log group (/aws/vendedlogs/states/…, level ERROR with data: the failure's events and cause)"
        : "the execution's history";
    // A cancelled order ends in a Succeed state: a failed execution is an order an operator must see to,
    // e.g. `StatusesNotPublished` (EventBridge refused a status past its retries: the customer was not told).
    alarms.metric(
      `${name}FailedAlarm`,
      machine.metricFailed({ period: Duration.minutes(5), statistic: "Sum" }),
      `An order workflow failed: StatusesNotPublished (statuses the customer was not told; the failure's cause names them and their details: publish them again with npm run publish-status) or a step that failed past its retries. See ${where}.`,
    );
    // The bill guard: more executions than the stage's expected orders would start is a flood of valid
    // orders (or a bug), whatever the per-address limits let by.
    alarms.threshold(
      `${name}BillGuardAlarm`,
      machine.metricStarted({ period: Duration.seconds(Topology.BILL_GUARD.periodSeconds), statistic: "Sum" }),
      tunables.billGuardExecutions,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
      `More than ${tunables.billGuardExecutions} order workflows started in 5 minutes (${Topology.DEPLOY_ENV.billGuardExecutions}): orders far above the expected rate, each a paid ${type === "EXPRESS" ? "Express" : "Standard"} execution. Check the edge's blocked requests and the order API's access log.`,
    );
    alarms.metric(
      `${name}TimedOutAlarm`,
      machine.metricTimedOut({ period: Duration.minutes(5), statistic: "Sum" }),
      `An order workflow timed out${type === "EXPRESS" ? " (Express ends an execution after 5 minutes)" : ""}: an order stopped mid-way. See ${where}; its steps are idempotent, so starting the order's execution again with the same input finishes it (docs/deploy-and-operate.md).`,
    );
  }
  bus.addRules(stack, {
    OrderStatusToProjection: {
      pattern: { source: [...rule.pattern.source], detailType: [...rule.pattern["detail-type"]] },
      targets: { projection: { function: projection, cdk: { target: { ...retry, deadLetterQueue: deadLetters } } } },
      cdk: { rule: { ruleName: undefined } }, // a generated name fits whatever the stage (see Callbacks)
    },
  });

  // Every order event is kept for replay (`aws events start-replay`) for `ORDER_EVENTS_ARCHIVE_DAYS` (Tunables).
  const archive = new Archive(stack, "OrderEventsArchive", {
    archiveName: prefixedName(app, "orders", NAME_LIMITS.eventArchive),
    sourceEventBus: bus.cdk.eventBus,
    eventPattern: { source: [OrderStatus.EVENT_SOURCE] },
    retention: Duration.days(tunables.orderEventsArchiveDays),
  });

  stack.addOutputs({
    OrderApiUrl: api.url,
    StateMachineArn: stateMachine.stateMachineArn,
    OrderWorkflowType: orderWorkflowType,
    OrdersTable: ordersTable.tableName,
    // For the operator commands (packages/local/src/cli/ops/stack-outputs.ts).
    ProjectionDeadLetterQueueUrl: deadLetters.queueUrl,
    ProjectionFunctionName: projection.functionName,
    EventArchiveArn: archive.archiveArn,
  });
  suppressNagFindings(stack, ORDERS_STACK_SUPPRESSIONS(keepsData));
  return { api, edge, ordersTable, stateMachine };
}
