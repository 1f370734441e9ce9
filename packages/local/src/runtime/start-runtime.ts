/**
 * The whole callback microservice on one machine: dynalite, the WebSocket gateway, the EventBridge
 * endpoint and an HTTP server, driving the deployed handler modules through their usual
 * configuration (environment variables and `AWS_ENDPOINT_URL_<SERVICE>`). `npm start` and the
 * end-to-end tests both start it through here. The handlers run in Lambda-like execution environments
 * (worker threads, see lambda.ts), each function with its own timeout, memory and environment; the
 * gateway and the order API enforce the stage's throttles (`Topology.API_THROTTLES`), behind the
 * edge's per-address limits (`Topology.EDGE_RULES`, ./edge.ts) as CloudFront and WAF are on AWS.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as OrdersTable from "@awsomepets/core/orders/table";
import * as SiteHeaders from "@awsomepets/core/platform/site-headers";
import * as StageName from "@awsomepets/core/platform/stage-name";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import * as OrderStatus from "@awsomepets/core/status/event";
import {
  archiveArn,
  eventBusArn,
  startEventBridgeEndpoint,
  type EventBridgeEndpoint,
} from "@awsomepets/aws-local/eventbridge/server";
import { DEFAULT_ACCOUNT } from "@awsomepets/aws-local/defaults";
import { startWebSocketGateway, type GatewayFaults, type WebSocketGateway } from "@awsomepets/aws-local/gateway/index";
import { createHttpApi } from "@awsomepets/aws-local/http-api/server";
import { startStepFunctionsEndpoint, type StepFunctionsEndpoint } from "@awsomepets/aws-local/stepfunctions/server";
import { createStaticFiles } from "./static-files";
import { localEdge } from "./edge";
import { orderWorkflow } from "./workflow";
import type { RuntimeConfig } from "./config";
import { PORT_VARIABLES, workflowTypeOf } from "./config";
import { startDynamoDB } from "./dynamodb";
import {
  functionEnvironment,
  unionEnvironment,
  type EnvironmentOptions,
  type LocalEndpoints,
} from "./function-environment";
import { dynamodbDir, persistence } from "./persistence";
import { createFunctionRunner } from "./lambda";
import { watchSources } from "./watch";
import type { Log } from "./log";
import { bridgeHandlerLogs } from "./handler-logs";
import { listen, PortInUseError } from "@awsomepets/aws-local/http/listen";
import { removeState, writeState, type RuntimeState } from "./state-file";

const { APP_NAME } = Topology;
/** Resource names as the stack's would read for this stage. */
export const names = (stage: string, workflowType: Topology.WorkflowType = Tunables.DEFAULT_ORDER_WORKFLOW_TYPE) => ({
  clientCallbackTable: `${stage}-${APP_NAME}-ClientCallbackTbl`,
  ordersTable: `${stage}-${APP_NAME}-OrdersTbl`,
  eventBusName: `${stage}-${APP_NAME}-OrderEventBus`,
  /** Like the Orders stack's archive: every order event, for `npm run replay`. */
  eventArchiveName: StageName.fitName(`${stage}-${APP_NAME}-orders`, StageName.NAME_LIMITS.eventArchive),
  stateMachineName: StageName.fitName(
    `${stage}-${APP_NAME}-${Topology.workflowName(workflowType)}`,
    StageName.NAME_LIMITS.stateMachine,
  ),
});

/** Re-throws a listen failure as the one-line error that names the port and its variable. */
async function onPort<T>(port: number, what: string, variable: string, start: () => Promise<T>) {
  try {
    return await start();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new PortInUseError(port, `${what}; set ${variable} to another port`);
    throw error;
  }
}

/** The endpoints log `{level, message: "<prefix>what", ...}`; the runtime's log wants a component. */
const endpointLog =
  (log: Log, component: string, prefix: string) =>
  ({ message, level: _level, ...fields }: Record<string, unknown>) =>
    log({ component, message: String(message).replace(prefix, ""), ...fields });

export type LocalRuntime = {
  state: RuntimeState;
  /**
   * The APIs as reached around the edge, like a stage's execute-api URLs: no per-address limits and
   * no edge header, so the functions refuse what costs (core's platform/origin-verify.ts). Not in the banner.
   */
  origins: { http: string; websocket: string };
  gateway: WebSocketGateway;
  events: EventBridgeEndpoint;
  stepFunctions: StepFunctionsEndpoint;
  /** Milliseconds each start-up phase took. */
  startupMs: Record<string, number>;
  /** DynamoDB API requests served so far (benchmarks count requests per delivered status). */
  dynamodbRequests(): number;
  functions: {
    /**
     * Changes settings of every function that reads them, as UpdateFunctionConfiguration would: the
     * warm environments of those functions are retired, and one new environment of each is warm
     * with the new configuration when this resolves.
     */
    updateSettings(settings: Partial<Record<Topology.Setting, string>>): Promise<void>;
    /** Execution environments per function, invocations waiting for one, and their V8 heaps (MB). */
    stats(): Record<
      string,
      { environments: number; idle: number; waiting: number; heapUsedMb: number; heapTotalMb: number }
    >;
  };
  close(): Promise<void>;
};

export async function startLocalRuntime(options: {
  config: RuntimeConfig;
  log: Log;
  /** The repository root: handler modules are resolved from it. */
  root: string;
  /** Where to publish the runtime's endpoints for the other local commands (see state-file.ts). */
  stateFile?: string;
  /** A built order-tracker page to serve at `/` (see packages/web). */
  webRoot?: string;
  /**
   * Builds the page into webRoot for the gateway's URL (the page accepts order links to that URL
   * only): started once the gateway listens, finished before the HTTP server does.
   */
  buildWebPage?: (websocketUrl: string) => Promise<unknown>;
  /**
   * Wraps every EventBridge target invocation: fault-injection tests use it to make a target fail
   * (so that the retry path runs). `invoke` runs the real handler.
   */
  interceptTarget?: (
    target: { rule: string; functionName: string },
    event: unknown,
    invoke: () => Promise<unknown>,
  ) => Promise<unknown>;
  /** Handlers run instead of named functions' modules, for every caller (bench/baseline: the seed's algorithm). */
  overrideHandlers?: Partial<Record<Topology.FunctionName, (event: unknown, context?: object) => Promise<unknown>>>;
  /**
   * When each function's first execution environment starts: before the runtime is ready (default:
   * tests and benchmarks start on warm functions), or in the background once it is (`npm start`,
   * ready sooner; a first request meanwhile may wait for a cold start, as on Lambda).
   */
  warm?: "before-ready" | "background";
  /** Test-only: the gateway's behaviours broken on purpose (GatewayFaults), for the smoke check's tests. */
  gatewayFaults?: GatewayFaults;
  /**
   * Replaces every function's own timeout (`Topology.FUNCTION_RUNTIME`): the chaos run at full size loads 2 cores past
   * them.
   */
  functionTimeoutMs?: number;
}): Promise<LocalRuntime> {
  const { config, log, root } = options;
  // Where start-up time goes, per phase (logged with "ready").
  const startupMs: Record<string, number> = {};
  let lastMark = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    startupMs[phase] = Math.round(now - lastMark);
    lastMark = now;
  };
  const tables = names(config.stage, workflowTypeOf(config));
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne().catch(() => {});
    closers.length = 0;
  };
  try {
    const dynamodb = await onPort(config.ports.dynamodb, "DynamoDB API", PORT_VARIABLES.dynamodb, () =>
      startDynamoDB({
        port: config.ports.dynamodb,
        dataDir: config.dataDir && dynamodbDir(config.dataDir),
        tables: [
          { name: tables.clientCallbackTable, create: CallbackTable.createTableInput },
          { name: tables.ordersTable, create: OrdersTable.createTableInput },
        ],
      }),
    );
    closers.push(dynamodb.close);
    mark("dynamodb");

    // Known once every endpoint listens, before any function runs (preload below).
    let endpoints: LocalEndpoints | undefined;
    const overrides: Partial<Record<Topology.Setting, string>> = {};
    // What the local edge adds to every request it admits, as CloudFront adds the stage's: per run,
    // since nothing outside the runtime needs it (the origins below are reached without it).
    const originVerify = randomBytes(18).toString("base64url");
    const environmentOptions = (): EnvironmentOptions => {
      if (!endpoints) throw new Error("a function started before the runtime's endpoints were up");
      return {
        region: config.region,
        stage: config.stage,
        tokenSecret: config.tokenSecret,
        originVerify,
        json: config.json,
        tables,
        endpoints,
        overrides,
      };
    };
    const moduleRunner = createFunctionRunner({
      root,
      log,
      environment: (name) => functionEnvironment(name, environmentOptions()),
      timeoutMs: options.functionTimeoutMs,
      maxEnvironments: config.maxEnvironments,
      youngGenerationMb: config.youngGenerationMb,
    });
    closers.push(moduleRunner.close);
    const runner: typeof moduleRunner = {
      ...moduleRunner,
      invoke: (name, event) =>
        options.overrideHandlers?.[name as Topology.FunctionName]?.(event) ?? moduleRunner.invoke(name, event),
    };
    const journals = persistence(config.dataDir);

    const events = await onPort(config.ports.events, "EventBridge endpoint", PORT_VARIABLES.events, () =>
      startEventBridgeEndpoint({
        port: config.ports.events,
        region: config.region,
        buses: [tables.eventBusName],
        archives: [
          {
            name: tables.eventArchiveName,
            busName: tables.eventBusName,
            pattern: { source: [OrderStatus.EVENT_SOURCE] },
          },
        ],
        retryBaseDelayMs: config.retryBaseDelayMs,
        journal: journals.deliveries,
        rules: Object.entries(Topology.EVENT_RULES).map(([name, rule]) => ({
          name,
          busName: tables.eventBusName,
          pattern: rule.pattern,
          retryPolicy: rule.retryPolicy,
          target: (event) => {
            const invoke = () => runner.invoke(rule.target, event);
            return options.interceptTarget
              ? options.interceptTarget({ rule: name, functionName: rule.target }, event, invoke)
              : invoke();
          },
        })),
        log: endpointLog(log, "events", "eventbridge."),
      }),
    );
    closers.push(events.close);
    mark("events");

    // One edge in front of both APIs, as one web ACL serves both distributions on AWS.
    const edge = localEdge(config.edgeRules, originVerify);
    const gateway = await onPort(config.ports.websocket, "WebSocket gateway", PORT_VARIABLES.websocket, () =>
      startWebSocketGateway({
        port: config.ports.websocket,
        stage: config.stage,
        routes: Topology.WEBSOCKET_ROUTES,
        routeSelectionExpression: Topology.ROUTE_SELECTION_EXPRESSION,
        // Invoked like the routes, in its own execution environments with its own timeout.
        authorizer: Topology.WEBSOCKET_AUTHORIZER,
        region: config.region,
        invoke: (name, event) => runner.invoke(name, event),
        limits: config.limits,
        throttles: config.throttles?.webSocket ?? Topology.API_THROTTLES.webSocket,
        edge,
        // The stage as reached around the edge (the execute-api URL on AWS): no limits, no header.
        originPort: 0,
        onEdgeRefusal: ({ sourceIp, rule, path }) =>
          log({
            component: "websocket",
            message: `upgrade ${path} refused at the edge`,
            statusCode: Topology.EDGE_REFUSAL.statusCode,
            error: "edge-rate-limit",
            rule,
            sourceIp,
          }),
        ...(options.gatewayFaults && { faults: options.gatewayFaults }),
        log: ({ source: _source, route, functionName, status, ...fields }) =>
          log({ component: "websocket", message: `${route} → ${functionName}`, statusCode: status, ...fields }),
      }),
    );
    closers.push(gateway.close);
    mark("gateway");
    const pageBuilt = options.buildWebPage?.(gateway.url);
    // Awaited before the HTTP server listens; a failure meanwhile must not be an unhandled rejection.
    pageBuilt?.catch(() => {});

    const workflow = orderWorkflow({
      root,
      name: tables.stateMachineName,
      region: config.region,
      eventBusName: tables.eventBusName,
      eventsEndpoint: events.url,
      runner,
      stepDelayMs: config.stepDelayMs,
      type: workflowTypeOf(config),
    });
    closers.push(async () => workflow.close());
    const stepFunctions = await onPort(
      config.ports.stepfunctions,
      "Step Functions endpoint",
      PORT_VARIABLES.stepfunctions,
      () =>
        startStepFunctionsEndpoint({
          port: config.ports.stepfunctions,
          region: config.region,
          stateMachines: [workflow.config],
          retryIntervalOverrideMs: config.retryBaseDelayMs,
          journal: journals.executions,
          // The ASL file is validated by the workflow tests (packages/local/test/runtime/workflow.definition.test.ts);
          // skipping it here saves start-up time.
          validateDefinitions: false,
          maxFinishedExecutions: config.maxFinishedExecutions,
          expressRunsTwice: config.expressRunsTwice,
          expressMaxDurationMs: config.expressMaxDurationMs,
          log: endpointLog(log, "workflow", "stepfunctions."),
        }),
    );
    closers.push(stepFunctions.close);
    mark("stepfunctions");

    endpoints = {
      dynamodb: dynamodb.endpoint,
      events: events.url,
      stepfunctions: stepFunctions.url,
      websocketManagement: gateway.managementEndpoint,
      websocketUrl: gateway.url,
      stateMachineArn: stepFunctions.stateMachineArn(tables.stateMachineName),
    };
    if (options.overrideHandlers) {
      // Those handlers run in this process, so their environment and console are this process's.
      Object.assign(process.env, unionEnvironment(environmentOptions()));
      const unbridge = bridgeHandlerLogs(log);
      closers.push(async () => unbridge());
    }
    const bundledSources = await runner.preload(options.warm ?? "before-ready");
    mark("handlers");
    if (config.watch) {
      const watcher = watchSources({ root, inputs: bundledSources, rebuild: moduleRunner.rebuild, log });
      closers.push(async () => watcher.close());
    }
    // Work a crash or a stop left unfinished (--data-dir): now that every function can run.
    const redelivered = events.redeliverJournaled();
    const resumed = stepFunctions.resumeJournaled();
    if (redelivered + resumed > 0)
      log({
        component: "runtime",
        message: "picking up unfinished work from the data dir",
        executions: resumed,
        deliveries: redelivered,
      });

    const httpApi = createHttpApi({
      routes: Topology.HTTP_ROUTES,
      invoke: (name, event) => runner.invoke(name, event),
      log,
      throttle: config.throttles?.http ?? Topology.API_THROTTLES.http,
      edge,
    });
    // The order API as reached around the edge (its execute-api URL on AWS): the same routes and
    // functions, without the edge's limits or header, so a test can show the functions refuse it.
    const originApi = createHttpApi({
      routes: Topology.HTTP_ROUTES,
      invoke: (name, event) => runner.invoke(name, event),
      log,
      throttle: config.throttles?.http ?? Topology.API_THROTTLES.http,
    });
    const origin = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      if (!(await originApi(req, res)))
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
    });
    await listen(origin, 0, "HTTP origin");
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          origin.close(() => resolve());
          origin.closeAllConnections();
        }),
    );
    // The same headers as the stage's CloudFront (stacks/Web.ts): the page calls the API on its own origin here.
    const pageHeaders = SiteHeaders.siteHeaders({ api: "self", websocket: SiteHeaders.originOf(gateway.url) });
    const staticFiles = options.webRoot ? createStaticFiles(options.webRoot, pageHeaders) : undefined;
    await pageBuilt;
    mark("page");

    let state: RuntimeState;
    const http = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      if (await httpApi(req, res)) return;
      if (staticFiles && (await staticFiles(req, res))) return;
      if (req.method === "GET" && req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            status: "ok",
            endpoints: {
              http: state.endpoints.http,
              websocket: state.endpoints.websocket,
              events: state.endpoints.events,
              dynamodb: state.endpoints.dynamodb,
              stepfunctions: state.endpoints.stepfunctions,
            },
            eventBusName: state.eventBusName,
            stage: state.stage,
          }),
        );
        return;
      }
      // Any other path is the site's as far as a browser knows: its 404 carries the page's headers too.
      res
        .writeHead(404, { ...pageHeaders, "content-type": "application/json" })
        .end(JSON.stringify({ message: "Not found" }));
    });
    await onPort(config.ports.http, "HTTP server", PORT_VARIABLES.http, () =>
      listen(http, config.ports.http, "HTTP server"),
    );
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        }),
    );

    state = {
      pid: process.pid,
      stage: config.stage,
      region: config.region,
      endpoints: {
        http: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
        websocket: gateway.url,
        management: gateway.managementEndpoint,
        events: events.url,
        dynamodb: dynamodb.endpoint,
        stepfunctions: stepFunctions.url,
      },
      eventBusName: tables.eventBusName,
      eventBusArn: eventBusArn({ region: config.region, account: DEFAULT_ACCOUNT }, tables.eventBusName),
      eventArchiveArn: archiveArn({ region: config.region, account: DEFAULT_ACCOUNT }, tables.eventArchiveName),
      tables: [tables.clientCallbackTable, tables.ordersTable],
      tokenSecret: config.tokenSecret,
    };
    if (options.stateFile) {
      const file = options.stateFile;
      writeState(file, state);
      closers.unshift(async () => removeState(file));
    }
    mark("http");
    const functions: LocalRuntime["functions"] = {
      updateSettings: async (settings) => {
        const names = Object.keys(Topology.FUNCTIONS) as Topology.FunctionName[];
        const before = names.map((name) => JSON.stringify(functionEnvironment(name, environmentOptions())));
        Object.assign(overrides, settings);
        await moduleRunner.retire(
          names.filter((name, i) => JSON.stringify(functionEnvironment(name, environmentOptions())) !== before[i]),
        );
      },
      stats: moduleRunner.stats,
    };
    const origins = {
      http: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`,
      websocket: gateway.originUrl!,
    };
    return {
      state,
      origins,
      gateway,
      events,
      stepFunctions,
      dynamodbRequests: dynamodb.requests,
      functions,
      close,
      startupMs,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
