/**
 * The callback microservice: `ClientCallbackTbl`, the WebSocket API `OrderCallbackAPI` and its three
 * route functions, and the order event bus whose rule feeds `OrderWSCallbackFunction`.
 * Permissions are granted action by action (SST's `bind: [table]` would grant `dynamodb:*`).
 */
import { Duration } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { LogGroupLogDestination, WebSocketApi, WebSocketStage } from "aws-cdk-lib/aws-apigatewayv2";
import { WebSocketLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Config, EventBus, Function, Table, type StackContext } from "sst/constructs";
import { CallbackTable, Topology } from "@awsomepets/core/index";
import { NAME_LIMITS, prefixedName } from "./names";
import { apiGatewayLogsRole } from "./api-gateway-account";
import { CALLBACKS_STACK_SUPPRESSIONS, suppressNagFindings } from "./nag";
import { tableStorage } from "./tables";
import {
  accessLogFormat,
  alarmTopic,
  logGroup,
  OperatorAlarms,
  operationsConfig,
  retainLogsOfEveryFunction,
  WEBSOCKET_ACCESS_LOG_FIELDS,
} from "./operations";
import { isProductionStage } from "./stage";
import { orderEventSchemas } from "./event-schemas";

export function Callbacks({ stack, app }: StackContext) {
  const production = isProductionStage(app.stage);
  const historyRetentionSeconds = Number(
    process.env.HISTORY_RETENTION_SECONDS ?? CallbackTable.DEFAULT_HISTORY_RETENTION_SECONDS,
  );

  const operations = operationsConfig(process.env, production);
  const alarms = new OperatorAlarms(stack, alarmTopic(stack, operations));
  retainLogsOfEveryFunction(stack, operations);

  const tokenSecret = new Config.Secret(stack, "CallbackTokenSecret");

  const table = new Table(stack, "ClientCallbackTbl", {
    fields: {
      [CallbackTable.PARTITION_KEY]: "string",
      [CallbackTable.SORT_KEY]: "string",
    },
    primaryIndex: { partitionKey: CallbackTable.PARTITION_KEY, sortKey: CallbackTable.SORT_KEY },
    timeToLiveAttribute: CallbackTable.TTL_ATTRIBUTE,
    // Generated name; retained with PITR in production (stacks/tables.ts).
    cdk: { table: tableStorage(production) },
  });

  // CDK's WebSocket constructs rather than SST's WebSocketApi: the latter grants every route function
  // ManageConnections on all stages and methods, and cannot be told not to.
  const api = new WebSocketApi(stack, "OrderCallbackAPI", {
    apiName: prefixedName(app, "OrderCallbackAPI", NAME_LIMITS.webSocketApi),
    routeSelectionExpression: Topology.ROUTE_SELECTION_EXPRESSION,
  });
  const stageName = app.stage;
  // Every frame is a paid Lambda invocation: the stage caps the rate, and logs each request.
  const apiStage = new WebSocketStage(stack, "OrderCallbackAPIStage", {
    webSocketApi: api,
    stageName,
    autoDeploy: true,
    throttle: operations.webSocketThrottle,
    accessLogSettings: {
      destination: new LogGroupLogDestination(logGroup(stack, "OrderCallbackAPIAccessLogs", operations)),
      format: accessLogFormat(WEBSOCKET_ACCESS_LOG_FIELDS),
    },
  });
  apiStage.node.addDependency(apiGatewayLogsRole(stack));
  const apiId = api.apiId;
  const managementEndpoint = `https://${apiId}.execute-api.${stack.region}.${stack.urlSuffix}/${stageName}`;
  // $connect asks whether the sockets holding an order's places are still open (only at the cap).
  const getConnections = new PolicyStatement({
    actions: ["execute-api:ManageConnections"],
    resources: [
      stack.formatArn({ service: "execute-api", resource: apiId, resourceName: `${stageName}/GET/@connections/*` }),
    ],
  });
  const postToConnections = new PolicyStatement({
    actions: ["execute-api:ManageConnections"],
    resources: [
      stack.formatArn({ service: "execute-api", resource: apiId, resourceName: `${stageName}/POST/@connections/*` }),
    ],
  });
  const tableActions = (...actions: string[]) =>
    new PolicyStatement({
      actions: actions.map((action) => `dynamodb:${action}`),
      resources: [table.tableArn],
    });

  // Each function's environment comes from core's wiring contract (Topology.WIRING).
  const settings = {
    clientCallbackTable: table.tableName,
    managementEndpoint,
    historyRetentionSeconds: String(historyRetentionSeconds),
    // The callback path's limits, as set at deploy (the handlers' defaults otherwise).
    ...tunablesFromEnvironment(process.env, ["maxConnectionsPerOrder", "syncRatePerSecond", "syncBurst", "fanoutConcurrency"]),
  };
  const fn = (name: Topology.FunctionName, permissions: PolicyStatement[], bind: Config.Secret[] = []) =>
    new Function(stack, name, {
      handler: Topology.FUNCTIONS[name],
      environment: Topology.environmentOf(name, settings),
      permissions,
      bind,
      logGroup: logGroup(stack, `${name}Logs`, operations),
    });

  const functions = {
    OrderWSConnectFunction: fn(
      "OrderWSConnectFunction",
      [tableActions("GetItem", "UpdateItem", "PutItem", "DeleteItem"), getConnections],
      [tokenSecret],
    ),
    OrderWSDisconnectFunction: fn("OrderWSDisconnectFunction", [tableActions("GetItem", "UpdateItem", "DeleteItem")]),
    OrderWSPendingFunction: fn("OrderWSPendingFunction", [tableActions("GetItem", "UpdateItem"), postToConnections]),
    OrderWSCallbackFunction: fn("OrderWSCallbackFunction", [
      tableActions("GetItem", "UpdateItem", "DeleteItem"),
      postToConnections,
    ]),
  };

  for (const [routeKey, name] of Object.entries(Topology.WEBSOCKET_ROUTES)) {
    api.addRoute(routeKey, { integration: new WebSocketLambdaIntegration(`${name}-${routeKey}`, functions[name]) });
  }

  // What exhausts its retries lands here, from either retry layer (see Topology.STATUS_TARGET_RETRY_POLICY).
  const deadLetters = new Queue(stack, "OrderStatusCallbackDLQ", {
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });

  alarms.deadLetterQueue("OrderStatusCallbackDLQ", deadLetters, "A status no client was told of");
  for (const [name, fn] of Object.entries(functions)) alarms.lambda(name, fn);

  const rule = Topology.EVENT_RULES.OrderStatusToCallback;
  const retry = {
    retryAttempts: rule.retryPolicy.retryAttempts,
    maxEventAge: Duration.seconds(rule.retryPolicy.maximumEventAgeSeconds),
  };
  const target = functions[rule.target];
  target.configureAsyncInvoke({ ...retry, onFailure: new SqsDestination(deadLetters) });

  const bus = new EventBus(stack, "OrderEventBus", {
    rules: {
      OrderStatusToCallback: {
        pattern: { source: [...rule.pattern.source], detailType: [...rule.pattern["detail-type"]] },
        targets: { callback: { function: target, cdk: { target: { ...retry, deadLetterQueue: deadLetters } } } },
        // SST would name it `<stage>-<app>-OrderStatusToCallback`, over the 64-character limit for
        // stages longer than 19 characters; CloudFormation's generated name always fits.
        cdk: { rule: { ruleName: undefined } },
      },
    },
  });

  orderEventSchemas(stack, app);

  stack.addOutputs({
    WebSocketUrl: apiStage.url,
    ManagementEndpoint: managementEndpoint,
    EventBusName: bus.eventBusName,
    ClientCallbackTable: table.tableName,
    DeadLetterQueueUrl: deadLetters.queueUrl,
    // For the operator commands (packages/local/src/cli/ops/stack-outputs.ts): `npm run redrive`
    // sends this queue's messages to this function; `npm run replay` replays into this bus.
    CallbackFunctionName: target.functionName,
    EventBusArn: bus.eventBusArn,
  });

  suppressNagFindings(stack, CALLBACKS_STACK_SUPPRESSIONS(production));
  return { api, apiStage, bus, table, tokenSecret, functions, operations, alarmTopic: alarms.topic };
}

/** Deploy-time overrides of optional settings, under the very names the functions read; a bad value stops the deploy. */
export function tunablesFromEnvironment(env: NodeJS.ProcessEnv, settings: Topology.Setting[]) {
  const values: Partial<Record<Topology.Setting, string>> = {};
  for (const setting of settings) {
    const raw = env[Topology.ENV[setting]];
    if (raw === undefined || raw === "") continue;
    if (!/^[1-9]\d{0,5}$/.test(raw)) throw new Error(`${Topology.ENV[setting]} must be a whole number from 1 to 999999, not "${raw}"`);
    values[setting] = raw;
  }
  return values;
}
