/**
 * The callback microservice: `ClientCallbackTbl`, the WebSocket API `OrderCallbackAPI` and its three
 * route functions, and the order event bus whose rule feeds `OrderWSCallbackFunction`.
 * Permissions are granted action by action, as core declares them (SST's `bind: [table]` would grant `dynamodb:*`).
 */
import { Duration, Fn } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import {
  ApiMapping,
  type CfnApi,
  type CfnStage,
  DomainName,
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
} from "aws-cdk-lib/aws-apigatewayv2";
import { Certificate } from "aws-cdk-lib/aws-certificatemanager";
import { CfnOutput } from "aws-cdk-lib";
import { WebSocketLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { WebSocketLambdaAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { Config, EventBus, Function as SstFunction, Table, type StackContext } from "sst/constructs";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";

import { NAME_LIMITS, prefixedName } from "./names";
import { apiGatewayLogsRole } from "./api-gateway-account";
import { CALLBACKS_STACK_SUPPRESSIONS, suppressNagFindings } from "./nag";
import { tableStorage } from "./tables";
import { DeadLetterDestination, policyStatementsOf, secretsToBind, type GrantTargets } from "./permissions";
import {
  accessLogFormat,
  alarmTopic,
  logGroup,
  OperatorAlarms,
  operationsConfig,
  retainLogsOfEveryFunction,
  WEBSOCKET_ACCESS_LOG_FIELDS,
} from "./operations";
import { stageKeepsData } from "./stage";
import { callbackTunables, deploySettings, throttlesOf } from "./deploy-settings";
import { runtimeProps } from "./function-runtime";
import { orderEventSchemas } from "./event-schemas";
import { edgeDomainOf, edgeHostNames } from "./edge";

export function Callbacks({ stack, app }: StackContext) {
  const keepsData = stageKeepsData(process.env);
  // First, so that a bad value stops the synth before anything is built.
  const tunables = deploySettings(process.env);
  const throttles = throttlesOf(tunables);

  const operations = operationsConfig(process.env, keepsData);
  const alarms = new OperatorAlarms(stack, alarmTopic(stack, operations));
  retainLogsOfEveryFunction(stack, operations);

  const tokenSecret = new Config.Secret(stack, CallbackToken.SECRET_NAMES.current);
  // Set only during a rotation (docs/deploy-and-operate.md): links signed with it keep working.
  const tokenPreviousSecret = new Config.Secret(stack, CallbackToken.SECRET_NAMES.previous);
  const tokenSecrets = [tokenSecret, tokenPreviousSecret];

  const table = new Table(stack, "ClientCallbackTbl", {
    fields: {
      [CallbackTable.PARTITION_KEY]: "string",
      [CallbackTable.SORT_KEY]: "string",
    },
    primaryIndex: { partitionKey: CallbackTable.PARTITION_KEY, sortKey: CallbackTable.SORT_KEY },
    timeToLiveAttribute: CallbackTable.TTL_ATTRIBUTE,
    // Generated name; retained with PITR by a stage that keeps data (stacks/tables.ts).
    cdk: { table: tableStorage(keepsData) },
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
    // DefaultRouteSettings: every route without settings of its own (messages and $disconnect).
    throttle: throttles.webSocket.default,
    accessLogSettings: {
      destination: new LogGroupLogDestination(logGroup(stack, "OrderCallbackAPIAccessLogs", operations)),
      format: accessLogFormat(WEBSOCKET_ACCESS_LOG_FIELDS),
    },
  });
  apiStage.node.addDependency(apiGatewayLogsRole(stack, operations));
  const apiId = api.apiId;
  const executeApiHost = `${apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  // With a domain of its own (EDGE_DOMAIN) the stage is reached only through the edge: the
  // execute-api endpoint is disabled, CloudFront calls the API's regional custom domain, and
  // `@connections` goes through that domain (at its root, where the stage is mapped).
  const edgeDomain = edgeDomainOf(process.env);
  let webSocketOrigin = { host: executeApiHost, path: `/${stageName}` };
  if (edgeDomain) {
    const host = edgeHostNames(edgeDomain.domainName).wsOrigin;
    const domainName = new DomainName(stack, "OrderCallbackAPIDomain", {
      domainName: host,
      certificate: Certificate.fromCertificateArn(stack, "EdgeCertificate", edgeDomain.certificateArn),
    });
    new ApiMapping(stack, "OrderCallbackAPIMapping", { api, domainName, stage: apiStage });
    (api.node.defaultChild as CfnApi).disableExecuteApiEndpoint = true;
    webSocketOrigin = { host, path: "" };
    new CfnOutput(stack, "EdgeDnsWebSocketOrigin", {
      value: `${host} CNAME ${domainName.regionalDomainName}`,
      description: "DNS record to create",
    });
  }
  const managementEndpoint = `https://${webSocketOrigin.host}${webSocketOrigin.path}`;
  // The value the edge adds to every request it passes to either API (stacks/edge.ts) and the
  // functions behind the costly routes check (core's platform/origin-verify.ts): the UUID CloudFormation gave
  // this stack, which nobody outside the account can know, with nothing for an operator to set or
  // rotate by hand. Who can read it, and why that is acceptable: docs/decisions/per-client-limits-at-the-edge.md.
  const originVerify = Fn.select(2, Fn.split("/", stack.stackId));
  // What each function may do comes from core's declaration (Permissions.FUNCTION_GRANTS), found
  // equal to what its code calls (test/infra/permissions.test.ts); the stack names the resources.
  const targets: GrantTargets = {
    ClientCallbackTbl: { arn: table.tableArn },
    // `@connections` of this stage only, per method: $connect asks (GET), the others post (POST).
    connections: (method) =>
      stack.formatArn({
        service: "execute-api",
        resource: apiId,
        resourceName: `${stageName}/${method}/@connections/*`,
      }),
  };

  // Each function's environment comes from core's wiring contract (Topology.WIRING).
  const settings = {
    clientCallbackTable: table.tableName,
    managementEndpoint,
    // Bound into every callback token; a stage that keeps data refuses the fallback secret at run time.
    stage: app.stage,
    stageKeepsData: String(keepsData),
    originVerify,
    // The callback path's limits, as validated above: each function's environment shows the value in force.
    ...callbackTunables(tunables),
  };
  const fn = (name: Topology.FunctionName) =>
    new SstFunction(stack, name, {
      handler: Topology.FUNCTIONS[name],
      ...runtimeProps(name),
      environment: Topology.environmentOf(name, settings),
      permissions: policyStatementsOf(name, targets),
      bind: secretsToBind(name, tokenSecrets),
      logGroup: logGroup(stack, `${name}Logs`, operations),
    });

  const functions = {
    OrderWSConnectFunction: fn("OrderWSConnectFunction"),
    OrderWSDisconnectFunction: fn("OrderWSDisconnectFunction"),
    OrderWSPendingFunction: fn("OrderWSPendingFunction"),
    OrderWSCallbackFunction: fn("OrderWSCallbackFunction"),
    // Reads only the request (the query and the edge's header): no permission at all.
    [Topology.WEBSOCKET_AUTHORIZER.functionName]: fn(Topology.WEBSOCKET_AUTHORIZER.functionName),
  };

  // `$connect`'s authorizer (the only route a WebSocket API can authorize): its context, the order's
  // id, reaches every later route of the connection (Topology.WEBSOCKET_AUTHORIZER). CDK grants API
  // Gateway the right to invoke it.
  const connectAuthorizer = new WebSocketLambdaAuthorizer(
    "OrderCallbackAPIConnectAuthorizer",
    functions[Topology.WEBSOCKET_AUTHORIZER.functionName],
    { identitySource: [...Topology.WEBSOCKET_AUTHORIZER.identitySource] },
  );
  const routes = Object.fromEntries(
    Object.entries(Topology.WEBSOCKET_ROUTES).map(([routeKey, name]) => [
      routeKey,
      api.addRoute(routeKey, {
        integration: new WebSocketLambdaIntegration(`${name}-${routeKey}`, functions[name]),
        ...(routeKey === "$connect" && { authorizer: connectAuthorizer }),
      }),
    ]),
  );
  // Routes with a throttle of their own ($connect), apart from the stage's default for messages.
  // Per route or shared? API Gateway's guide calls the stage's DefaultRouteSettings "default route
  // throttling", the limits of each route without settings of its own (for REST APIs: "default
  // per-method limits"); it does not say whether those routes draw from one bucket or one each. The
  // only bucket it documents as shared is the account's (10,000 requests/s, burst 5,000, per region).
  // So the messages' default is sized as if shared (docs/protocol.md, "Throttles"), and $connect's
  // own settings replace the default for it either way: a flood of messages cannot refuse new sockets.
  const routeThrottles = throttles.webSocket.routes;
  (apiStage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
    Object.entries(routeThrottles).map(([routeKey, { rateLimit, burstLimit }]) => [
      routeKey,
      { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit },
    ]),
  );
  // CloudFormation refuses route settings for a route key the API does not have yet.
  for (const routeKey of Object.keys(routeThrottles)) apiStage.node.addDependency(routes[routeKey]!);

  // What exhausts its retries lands here, from either retry layer (see Topology.STATUS_TARGET_RETRY_POLICY).
  const deadLetters = new Queue(stack, "OrderStatusCallbackDLQ", {
    retentionPeriod: Duration.days(14),
    enforceSSL: true,
  });

  alarms.deadLetterQueue("OrderStatusCallbackDLQ", deadLetters, "A status no client was told of");
  for (const [name, fn] of Object.entries(functions)) alarms.lambda(name, fn);
  alarms.rejectedPosts(Topology.SERVICES.callbacks); // counted by the callback and sync functions

  const rule = Topology.EVENT_RULES.OrderStatusToCallback;
  const retry = {
    retryAttempts: rule.retryPolicy.retryAttempts,
    maxEventAge: Duration.seconds(rule.retryPolicy.maximumEventAgeSeconds),
  };
  const target = functions[rule.target];
  target.configureAsyncInvoke({ ...retry, onFailure: new DeadLetterDestination(deadLetters) });

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

  suppressNagFindings(stack, CALLBACKS_STACK_SUPPRESSIONS(keepsData));
  return {
    api,
    apiStage,
    webSocketOrigin,
    originVerify,
    edgeDomain,
    bus,
    table,
    tokenSecrets,
    functions,
    operations,
    tunables,
    throttles,
    alarmTopic: alarms.topic,
  };
}
