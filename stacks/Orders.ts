/**
 * The order service: `OrdersTbl`, the order API (`POST /orders`, `GET /orders/{orderId}`,
 * `GET /catalogue`), the saga's state machine (one ASL file shared with the local runtime) and its
 * task functions, the projection rule on the order bus, and an archive of the order events.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Archive } from "aws-cdk-lib/aws-events";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { DefinitionBody, StateMachine, StateMachineType } from "aws-cdk-lib/aws-stepfunctions";
import { Api, Function, Table, use, type StackContext } from "sst/constructs";
import { OrderStatus, OrdersTable, Topology } from "@awsomepets/core/index";
import { Callbacks } from "./Callbacks";
import { isProductionStage } from "./stage";

export function Orders({ stack, app }: StackContext) {
  const { bus, apiStage, tokenSecret } = use(Callbacks);
  const production = isProductionStage(app.stage);
  const archiveDays = Number(process.env.ORDER_EVENTS_ARCHIVE_DAYS ?? 30);

  const ordersTable = new Table(stack, "OrdersTbl", {
    fields: { [OrdersTable.PARTITION_KEY]: "string" },
    primaryIndex: { partitionKey: OrdersTable.PARTITION_KEY },
    timeToLiveAttribute: OrdersTable.TTL_ATTRIBUTE,
    cdk: {
      table: {
        removalPolicy: production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        pointInTimeRecovery: production,
      },
    },
  });
  const tableActions = (...actions: string[]) =>
    new PolicyStatement({ actions: actions.map((a) => `dynamodb:${a}`), resources: [ordersTable.tableArn] });

  // The saga's task functions: pure business rules, no AWS access of their own.
  const tasks = Object.fromEntries(
    Object.entries(Topology.WORKFLOW.tasks).map(([state, name]) => [state, new Function(stack, name, { handler: Topology.FUNCTIONS[name] })]),
  ) as Record<keyof typeof Topology.WORKFLOW.tasks, Function>;

  const stateMachine = new StateMachine(stack, Topology.WORKFLOW.name, {
    stateMachineName: app.logicalPrefixedName(Topology.WORKFLOW.name),
    stateMachineType: StateMachineType.STANDARD,
    // Inline, not an S3 asset: the template then shows (and the tests check) the exact definition.
    definitionBody: DefinitionBody.fromString(readFileSync(path.join(app.appPath, Topology.WORKFLOW.definitionFile), "utf8")),
    definitionSubstitutions: {
      [Topology.WORKFLOW.eventBusPlaceholder]: bus.eventBusName,
      ...Object.fromEntries(
        Object.entries(tasks).map(([state, fn]) => [Topology.taskPlaceholder(state as keyof typeof tasks), fn.functionArn]),
      ),
    },
  });
  for (const fn of Object.values(tasks)) fn.grantInvoke(stateMachine);
  bus.cdk.eventBus.grantPutEventsTo(stateMachine);

  // Each function's environment comes from core's wiring contract (Topology.WIRING).
  const settings = {
    ordersTable: ordersTable.tableName,
    stateMachineArn: stateMachine.stateMachineArn,
    eventBusName: bus.eventBusName,
    websocketUrl: apiStage.url,
  };
  const createOrder = new Function(stack, "CreateOrderFunction", {
    handler: Topology.FUNCTIONS.CreateOrderFunction,
    environment: Topology.environmentOf("CreateOrderFunction", settings),
    bind: [tokenSecret],
    permissions: [
      tableActions("PutItem", "GetItem"),
      new PolicyStatement({ actions: ["states:StartExecution"], resources: [stateMachine.stateMachineArn] }),
      new PolicyStatement({ actions: ["events:PutEvents"], resources: [bus.eventBusArn] }),
    ],
  });
  const getOrder = new Function(stack, "GetOrderFunction", {
    handler: Topology.FUNCTIONS.GetOrderFunction,
    environment: Topology.environmentOf("GetOrderFunction", settings),
    bind: [tokenSecret],
    permissions: [tableActions("GetItem")],
  });
  const getCatalogue = new Function(stack, "GetCatalogueFunction", { handler: Topology.FUNCTIONS.GetCatalogueFunction });
  const routeFunctions = { CreateOrderFunction: createOrder, GetOrderFunction: getOrder, GetCatalogueFunction: getCatalogue };

  const api = new Api(stack, "OrderAPI", {
    cors: { allowOrigins: ["*"], allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "authorization", "idempotency-key"] },
    routes: Object.fromEntries(Object.entries(Topology.HTTP_ROUTES).map(([route, name]) => [route, routeFunctions[name]])),
  });

  const projection = new Function(stack, "OrderStatusProjectionFunction", {
    handler: Topology.FUNCTIONS.OrderStatusProjectionFunction,
    environment: Topology.environmentOf("OrderStatusProjectionFunction", settings),
    permissions: [tableActions("UpdateItem")],
  });
  const rule = Topology.EVENT_RULES.OrderStatusToProjection;
  const retry = { retryAttempts: rule.retryPolicy.retryAttempts, maxEventAge: Duration.seconds(rule.retryPolicy.maximumEventAgeSeconds) };
  const deadLetters = new Queue(stack, "OrderStatusProjectionDLQ", { retentionPeriod: Duration.days(14), enforceSSL: true });
  projection.configureAsyncInvoke({ ...retry, onFailure: new SqsDestination(deadLetters) });
  bus.addRules(stack, {
    OrderStatusToProjection: {
      pattern: { source: [...rule.pattern.source], detailType: [...rule.pattern["detail-type"]] },
      targets: { projection: { function: projection, cdk: { target: { ...retry, deadLetterQueue: deadLetters } } } },
    },
  });

  // Every order event is kept for replay (`aws events start-replay`) for `ORDER_EVENTS_ARCHIVE_DAYS`.
  new Archive(stack, "OrderEventsArchive", {
    archiveName: `${app.stage}-${app.name}-orders`.slice(0, 48),
    sourceEventBus: bus.cdk.eventBus,
    eventPattern: { source: [OrderStatus.EVENT_SOURCE] },
    retention: Duration.days(archiveDays),
  });

  stack.addOutputs({
    OrderApiUrl: api.url,
    StateMachineArn: stateMachine.stateMachineArn,
    OrdersTable: ordersTable.tableName,
  });
  return { api, ordersTable, stateMachine };
}
