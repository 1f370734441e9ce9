/**
 * What the whole order path costs per order, for each workflow type, from one cost run: the work of
 * the functions, tables, bus and sockets is the same for both (the same steps run); what differs is
 * Step Functions' own bill (Standard: per state entered; Express: per request and 100 ms at its
 * memory) and the CloudWatch Logs each type writes. The executions are read back from the run's
 * Standard executions, which enter the same states an Express one would. Method: docs/bench-methods.md,
 * "The order path's cost".
 */
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import * as Topology from "@awsomepets/core/platform/topology";
import { DEFAULT_ACCOUNT } from "@awsomepets/aws-local/defaults";
import { executionArn } from "@awsomepets/aws-local/stepfunctions/arns";
import { names } from "../../packages/local/src/runtime/start-runtime";
import { type ORDER_PATH_PRICES, type Prices, usd } from "../lib/aws-prices";
import { QUOTAS } from "../capacity/quotas";
import type { BenchRuntime } from "../lib/runtime-handle";
import { round } from "../lib/stats";
import type { VariantCost } from "./cost";

/** Per order, what the run's executions did: what both types' bills are made of. */
export type WorkflowUsage = {
  transitions_per_order: number;
  /** The execution's duration in the local runtime, less the bench's own step delays (not work). */
  duration_ms_per_order: number;
  /**
   * Bytes an Express execution writes to its log group at level ERROR with data: its error events (events as CloudWatch
   * holds them).
   */
  express_log_bytes_per_order: number;
  /** What level ALL with data would write: every event, the whole history (not deployed; its price is shown). */
  express_all_log_bytes_per_order: number;
  /** Bytes a Standard execution writes at level ERROR without data: its error events only. */
  standard_log_bytes_per_order: number;
};

/** The events level ERROR logs (failed, timed-out, aborted executions and failed tasks). */
const ERROR_EVENT = /(Failed|TimedOut|Aborted)$/;
/** What CloudWatch Logs adds to every event's message in its size accounting. */
const LOG_EVENT_OVERHEAD_BYTES = 26;

/**
 * One history event as an Express workflow logs it: its type, its details (with data), the ids, the
 * time and the execution's ARN — the ARN of a prod stage's Express execution, a name and a UUID long.
 */
function expressLogEvent(event: HistoryEvent, orderId: string) {
  const details = Object.entries(event).find(([key]) => key.endsWith("EventDetails"))?.[1];
  const arn = `arn:aws:states:us-east-1:123456789012:express:prod-${Topology.APP_NAME}-${Topology.workflowName("EXPRESS")}:${orderId}:${orderId}`;
  return JSON.stringify({
    id: String(event.id),
    type: event.type,
    details: details ?? {},
    previous_event_id: String(event.previousEventId ?? 0),
    event_timestamp: String(new Date(event.timestamp ?? 0).getTime()),
    execution_arn: arn,
    redrive_count: "0",
  });
}

export async function workflowUsageOf(
  runtime: BenchRuntime,
  orderIds: string[],
  stepDelayMs: number,
): Promise<WorkflowUsage> {
  const sfn = new SFNClient({
    endpoint: runtime.state.endpoints.stepfunctions,
    region: runtime.state.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const machine = names(runtime.state.stage, "STANDARD").stateMachineName;
  const lambdaSteps = Object.keys(Topology.WORKFLOW.tasks);
  try {
    const totals = { transitions: 0, durationMs: 0, expressBytes: 0, expressAllBytes: 0, standardBytes: 0 };
    for (const orderId of orderIds) {
      const arn = executionArn(runtime.state.region, DEFAULT_ACCOUNT, machine, orderId);
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(
          new GetExecutionHistoryCommand({ executionArn: arn, nextToken, includeExecutionData: true }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const described = await sfn.send(
        new DescribeExecutionCommand({ executionArn: arn, includedData: "METADATA_ONLY" }),
      );
      // Step Functions bills a transition for every state entered (retries included).
      totals.transitions += events.filter((e) => e.type?.endsWith("StateEntered")).length;
      const delayed =
        events.filter(
          (e) => e.type === "TaskStateEntered" && lambdaSteps.includes(e.stateEnteredEventDetails?.name ?? ""),
        ).length * stepDelayMs;
      totals.durationMs += Math.max(0, described.stopDate!.getTime() - described.startDate!.getTime() - delayed);
      for (const event of events) {
        const bytes = Buffer.byteLength(expressLogEvent(event, orderId)) + LOG_EVENT_OVERHEAD_BYTES;
        totals.expressAllBytes += bytes;
        if (!ERROR_EVENT.test(event.type ?? "")) continue;
        totals.expressBytes += bytes;
        const withoutData = Buffer.byteLength(
          expressLogEvent(
            {
              ...event,
              executionFailedEventDetails: undefined,
              taskFailedEventDetails: undefined,
              lambdaFunctionFailedEventDetails: undefined,
            },
            orderId,
          ),
        );
        totals.standardBytes += withoutData + LOG_EVENT_OVERHEAD_BYTES;
      }
    }
    const per = (n: number) => round(n / orderIds.length, 1);
    return {
      transitions_per_order: per(totals.transitions),
      duration_ms_per_order: per(totals.durationMs),
      express_log_bytes_per_order: per(totals.expressBytes),
      express_all_log_bytes_per_order: per(totals.expressAllBytes),
      standard_log_bytes_per_order: per(totals.standardBytes),
    };
  } finally {
    sfn.destroy();
  }
}

export type OrderPathItems = {
  lambda: number;
  dynamodb: number;
  eventbridge: number;
  api_gateway_http: number;
  websocket_messages: number;
  websocket_connection_minutes: number;
  step_functions: number;
  cloudwatch_logs: number;
};
export type OrderPathCost = {
  usd_per_million_orders: number;
  usd_per_million_orders_by_item: OrderPathItems;
  step_functions_basis: string;
};
export type OrderPathResults = {
  usage: WorkflowUsage & {
    http_requests_per_order: number;
    connection_minutes_per_order: number;
    express_billed_ms: number;
    express_billed_memory_mb: number;
  };
  standard: OrderPathCost;
  express: OrderPathCost;
  note: string;
};

/**
 * Express's billed memory: 50 MB + the definition + the execution's data, in 64-MB chunks (the pricing page's formula).
 */
export const EXPRESS_BILLED_MEMORY_MB = 64;

/**
 * Both types' bill per million orders. The shared part comes from the run's figures (every function
 * at its declared memory, every table's units, every event and WebSocket message per order); one HTTP
 * request (`POST /orders`) and one connection minute (API Gateway bills whole minutes; the bench's
 * customer watches for seconds) per order.
 */
export function orderPathCost(ours: VariantCost, usage: WorkflowUsage, p: Prices): OrderPathResults {
  const statusesPerOrder = ours.statuses_delivered / ours.orders;
  const perOrder = (perStatus: number) => perStatus * statusesPerOrder;
  let lambda = 0;
  for (const [name, f] of Object.entries(ours.by_function)) {
    const memoryMB = Topology.FUNCTION_RUNTIME[name as Topology.FunctionName]?.memoryMB ?? f!.memory_mb;
    // At AWS latency (each DynamoDB request's local wait replaced by AWS's, bench/lib/aws-meter.ts), as `npm run
    // capacity` prices it.
    const invocations = perOrder(f!.invocations_per_status);
    lambda +=
      usd.lambdaMs(invocations * f!.ms_per_invocation_at_aws_latency, memoryMB, p) + usd.lambdaRequests(invocations, p);
  }
  const units = Object.values(ours.units_per_status_by_table).reduce(
    (t, u) => ({ write: t.write + u.write, read: t.read + u.read }),
    { write: 0, read: 0 },
  );
  const httpRequests = 1;
  // One socket per `sync` sent on open: one per watching customer.
  const connectionMinutes = ours.messages.in / ours.orders;
  const shared = {
    lambda,
    dynamodb: usd.writeUnits(perOrder(units.write), p) + usd.readUnits(perOrder(units.read), p),
    eventbridge: usd.events(perOrder(ours.events_per_status), p),
    api_gateway_http: usd.httpRequests(httpRequests),
    websocket_messages: usd.messages(perOrder(ours.messages_per_status), p),
    websocket_connection_minutes: usd.connectionMinutes(connectionMinutes, p),
  };
  const billedMs = Math.max(100, Math.ceil(usage.duration_ms_per_order / 100) * 100);
  const items = {
    standard: {
      ...shared,
      step_functions: usd.transitions(usage.transitions_per_order, p),
      cloudwatch_logs: usd.logBytes(usage.standard_log_bytes_per_order),
    },
    express: {
      ...shared,
      step_functions: usd.expressExecution(billedMs, EXPRESS_BILLED_MEMORY_MB),
      cloudwatch_logs: usd.logBytes(usage.express_log_bytes_per_order),
    },
  };
  const million = (items: OrderPathItems): OrderPathCost["usd_per_million_orders_by_item"] =>
    Object.fromEntries(Object.entries(items).map(([k, v]) => [k, round(v * 1e6, 2)])) as OrderPathItems;
  const total = (items: OrderPathItems) => round(Object.values(items).reduce((a, b) => a + b, 0) * 1e6, 2);
  return {
    usage: {
      ...usage,
      http_requests_per_order: httpRequests,
      connection_minutes_per_order: round(connectionMinutes, 2),
      express_billed_ms: billedMs,
      express_billed_memory_mb: EXPRESS_BILLED_MEMORY_MB,
    },
    standard: {
      usd_per_million_orders: total(items.standard),
      usd_per_million_orders_by_item: million(items.standard),
      step_functions_basis: `${usage.transitions_per_order} transitions per order`,
    },
    express: {
      usd_per_million_orders: total(items.express),
      usd_per_million_orders_by_item: million(items.express),
      step_functions_basis: `1 request and ${billedMs} ms billed at ${EXPRESS_BILLED_MEMORY_MB} MB per order`,
    },
    note:
      "The success path, one watching customer per order, edge apart. Express's duration is the local run's, less the bench's step delays: " +
      "a real payment provider's seconds would add about $1 per million orders per second of workflow. Logs: the workflow's own log group only " +
      "(the functions' logs are the same for both types and left out), both at level ERROR: nothing on the success path; ingestion priced, storage ($0.03 per GB-month) left out. " +
      "Lambda at AWS latency (each DynamoDB request's local wait replaced by AWS's), at each function's declared memory.",
  };
}

/** The Step Functions quotas that bind each type, as orders per second (one execution per order). */
export function workflowQuotas(usage: Pick<WorkflowUsage, "transitions_per_order">) {
  const {
    stepFunctionsStartExecutionPerSecond: start,
    stepFunctionsStateTransitionsPerSecond: transitions,
    stepFunctionsExpressStartExecutionPerSecond: express,
  } = QUOTAS;
  return {
    standard: [
      { name: "StartExecution", orders_per_second: start.value, quota: `${start.value}/s`, source: start.source },
      {
        name: "state transitions",
        orders_per_second: Math.floor(transitions.value / usage.transitions_per_order),
        quota: `${transitions.value}/s ÷ ${usage.transitions_per_order} per order`,
        source: transitions.source,
      },
    ],
    express: [
      { name: "StartExecution", orders_per_second: express.value, quota: `${express.value}/s`, source: express.source },
    ],
  };
}

/** The order path's section of the cost report (RESULTS.md, the benchmark's stdout). */
export function orderPathMarkdown(o: OrderPathResults & { prices: typeof ORDER_PATH_PRICES }) {
  const items = Object.keys(o.standard.usd_per_million_orders_by_item) as Array<keyof OrderPathItems>;
  const usdText = (n: number) => `$${n.toFixed(2)}`;
  const quotas = workflowQuotas(o.usage);
  const bind = (list: Array<{ name: string; orders_per_second: number; quota: string }>) =>
    [...list]
      .sort((a, b) => a.orders_per_second - b.orders_per_second)
      .map((q) => `${q.name} ${q.quota} → ${q.orders_per_second.toLocaleString("en-US")} orders/s`)
      .join("; ");
  const x = o.prices;
  return [
    "### The whole order path, per workflow type",
    "",
    `Per million orders (\`cost.order_path\`): ${o.note}`,
    "",
    "| USD per million orders | Standard | Express |",
    "|---|---|---|",
    ...items.map(
      (item) =>
        `| ${item.replaceAll("_", " ")} | ${usdText(o.standard.usd_per_million_orders_by_item[item])} | ${usdText(o.express.usd_per_million_orders_by_item[item])} |`,
    ),
    `| **whole order path** | **${usdText(o.standard.usd_per_million_orders)}** | **${usdText(o.express.usd_per_million_orders)}** |`,
    `| Step Functions billed as | ${o.standard.step_functions_basis} | ${o.express.step_functions_basis} |`,
    `| workflow log bytes per order | ${o.usage.standard_log_bytes_per_order} (level ERROR, no data) | ${o.usage.express_log_bytes_per_order} (level ERROR, with data); level ALL would write ${o.usage.express_all_log_bytes_per_order}, ${usdText(usd.logBytes(o.usage.express_all_log_bytes_per_order) * 1e6)} per million orders |`,
    `| Step Functions quotas that bind (us-east-1 defaults) | ${bind(quotas.standard)} | ${bind(quotas.express)}; 5 minutes per execution |`,
    "",
    `Per order: ${o.usage.transitions_per_order} transitions, ${o.usage.duration_ms_per_order} ms of workflow (local, less the step delays), ${o.usage.http_requests_per_order} HTTP request, ${o.usage.connection_minutes_per_order} connection minute. ` +
      `Prices added for the order path, checked ${x.checked}: Express $${x.stepFunctionsExpress.usd_per_million_requests} per million requests and $${x.stepFunctionsExpress.usd_per_gb_second} per GB-s (${x.stepFunctionsExpress.source}: ${x.stepFunctionsExpress.note}); ` +
      `HTTP API $${x.apiGatewayHttp.usd_per_million_requests} per million requests (${x.apiGatewayHttp.source}); CloudWatch Logs $${x.cloudWatchLogs.usd_per_gb_ingested} per GB ingested (${x.cloudWatchLogs.source}).`,
  ].join("\n");
}
