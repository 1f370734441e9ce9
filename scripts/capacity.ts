/**
 * `npm run capacity`: how far one stage as shipped carries, which limit binds first, and what to
 * raise (and what a month costs) for 10× and 100× a given load. Computed by bench/capacity/model.ts
 * from the benchmark's cost figures (bench/results/latest.json when it holds them, else the committed
 * bench/cost-summary.json), the stage's declared settings in core's Topology and its workflow type
 * (ORDER_WORKFLOW_TYPE, through core's parser, as the stacks read it).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import {
  atLoad,
  checkPriceable,
  lambdaConcurrencyNeed,
  oneClient,
  perOrder,
  stageCapacity,
  usdPerOrder,
  usdPerOrderByItem,
  WAF_DETECTION_LAG_SECONDS,
  type CostFigures,
} from "../bench/capacity/model";
import { workflowQuotas } from "../bench/metrics/order-path-cost";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const LATEST = path.join(root, "bench", "results", "latest.json");
const SUMMARY = path.join(root, "bench", "cost-summary.json");

const USAGE = `Usage: npm run capacity -- [options]

Prints what one stage as shipped carries (orders/s, statuses/s, new connections/s, watching
customers), the limit that binds first, and for 1×, 10× and 100× the given load what to raise and
what a month costs (us-east-1 list prices).

Options:
  --orders-per-second <n>   the load to scale from (default 1)
  --watchers <n>            customers watching each order (default 1; at most the per-order cap)
  --watch-minutes <n>       how long each watches (default 10: API Gateway closes idle sockets then)
  --figures <file>          the cost figures to use (default bench/results/latest.json if it holds
                            a cost run, else bench/cost-summary.json)
  --json                    the same as JSON
  -h, --help                this text

Environment: ORDER_WORKFLOW_TYPE=STANDARD|EXPRESS, the type to price (default ${Tunables.CHOICES.orderWorkflowType.defaultValue},
as a stage deploys it); EXPRESS needs figures with an order_path (a cost run since issue 27).

Exit status: 0 printed, 2 usage error, 1 the figures could not be read or cannot price the type.`;

class UsageError extends Error {}

function positive(name: string, raw: string | undefined, fallback: number) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

function readFigures(file: string | undefined) {
  const candidates = file ? [file] : [LATEST, SUMMARY];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) {
      if (file) throw new UsageError(`--figures ${file}: no such file`);
      continue;
    }
    const json = JSON.parse(readFileSync(candidate, "utf8")) as Record<string, unknown>;
    const cost = (json.cost ?? json) as Record<string, unknown>;
    if (cost.ours && cost.scenario && cost.prices)
      return { source: path.relative(process.cwd(), candidate) || candidate, figures: cost };
    if (file) throw new UsageError(`--figures ${file} holds no cost figures (run npm run bench -- --only cost)`);
  }
  throw new Error("no cost figures: run npm run bench -- --only cost (or restore bench/cost-summary.json)");
}

const n = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const usdText = (value: number) =>
  `$${value.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;

async function main() {
  const { values } = parseArgs({
    options: {
      "orders-per-second": { type: "string" },
      watchers: { type: "string" },
      "watch-minutes": { type: "string" },
      figures: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  let workflowType: ReturnType<typeof Tunables.parseChoice<"orderWorkflowType">>;
  try {
    workflowType = Tunables.parseChoice("orderWorkflowType", process.env[Tunables.CHOICES.orderWorkflowType.variable]);
  } catch (error) {
    if (error instanceof Tunables.TunableError) throw new UsageError(error.message);
    throw error;
  }
  const watchers = positive("watchers", values.watchers, 1);
  if (!Number.isInteger(watchers) || watchers > CallbackTable.DEFAULT_MAX_CONNECTIONS_PER_ORDER) {
    throw new UsageError(
      `--watchers must be a whole number from 1 to ${CallbackTable.DEFAULT_MAX_CONNECTIONS_PER_ORDER} (MAX_CONNECTIONS_PER_ORDER), got "${values.watchers}"`,
    );
  }
  const load = {
    ordersPerSecond: positive("orders-per-second", values["orders-per-second"], 1),
    watchersPerOrder: watchers,
    watchMinutes: positive("watch-minutes", values["watch-minutes"], 10),
    workflowType,
  };
  const { source, figures } = readFigures(values.figures);
  const costFigures = figures as unknown as CostFigures;
  checkPriceable(costFigures, workflowType, source);
  const stage = stageCapacity(costFigures, load);
  const scales = [1, 10, 100].map((multiple) => atLoad(costFigures, load, multiple));
  const use = perOrder(costFigures, load);
  const client = oneClient(costFigures, load);
  const concurrency = lambdaConcurrencyNeed(costFigures, load);
  // The whole order path per workflow type, as the bench priced it (bench/metrics/order-path-cost.ts), when the figures
  // hold it.
  const orderPath = costFigures.order_path;
  const workflowLines = orderPath
    ? (() => {
        const quotas = workflowQuotas(orderPath.usage);
        const binds = (list: Array<{ name: string; orders_per_second: number }>) =>
          list.reduce((a, b) => (b.orders_per_second < a.orders_per_second ? b : a));
        const standard = binds(quotas.standard);
        const express = binds(quotas.express);
        return [
          "",
          `The order workflow's type (ORDER_WORKFLOW_TYPE, default ${Tunables.CHOICES.orderWorkflowType.defaultValue}; the figures above are ${workflowType}'s): the whole order path per million orders in the bench's scenario (one watcher for seconds, success path, edge apart):`,
          `  STANDARD  ${usdText(orderPath.standard.usd_per_million_orders)}; Step Functions binds at ${n(standard.orders_per_second)} orders/s (${standard.name})`,
          `  EXPRESS   ${usdText(orderPath.express.usd_per_million_orders)}; Step Functions binds at ${n(express.orders_per_second)} orders/s (${express.name}), 5 minutes per execution`,
        ];
      })()
    : [];
  if (values.json) {
    return void process.stdout.write(
      `${JSON.stringify({ source, measured: costFigures.date, workflow_type: workflowType, load, stage: { ...stage, limits: undefined }, lambda_concurrency_need: concurrency, limits: stage.limits, usd_per_order: usdPerOrder(costFigures, load), usd_per_order_by_item: usdPerOrderByItem(costFigures, load), scales, one_client: client, ...(orderPath ? { order_path: { standard: orderPath.standard.usd_per_million_orders, express: orderPath.express.usd_per_million_orders, unit: "USD per million orders" } } : {}) }, null, 2)}\n`,
    );
  }
  const orders = Topology.EDGE_RULES.OrdersPerAddress;
  const lines = [
    `One stage as shipped, from ${source} (measured ${costFigures.date}; DynamoDB: ${costFigures.engine}), its order workflow priced as ${workflowType} (ORDER_WORKFLOW_TYPE${process.env[Tunables.CHOICES.orderWorkflowType.variable] ? "" : ", the default"}).`,
    `Per order: ${use.statuses} statuses, ${load.watchersPerOrder} watching customer(s) for ${n(load.watchMinutes)} min each; ${n(use.concurrency * 1000, 1)} Lambda ms, ${n(use.writeUnits, 2)} write units, ${n(use.messagesIn + use.messagesOut, 2)} WebSocket messages, ${n(use.transitions, 1)} Step Functions transitions.`,
    "",
    "It carries:",
    `  orders/s             ${n(stage.ordersPerSecond, 1)}`,
    `  statuses/s           ${n(stage.statusesPerSecond, 1)}`,
    `  new connections/s    ${n(stage.newConnectionsPerSecond, 1)}`,
    `  watching customers   ${n(stage.watchingCustomers)} at once`,
    `  Lambda concurrency   ${n(concurrency.unreserved)} executions at once${concurrency.reserved ? ` + ${n(concurrency.reserved)} reserved` : ""} (npm run deploy checks the account has them)`,
    `  binds first          ${stage.bindsFirst.name}: ${n(stage.bindsFirst.limit)} ${stage.bindsFirst.unit}`,
    "",
    "Limits, first to bind first (use per order → orders/s it allows):",
    ...stage.limits.map(
      (l) =>
        `  ${n(l.ordersPerSecond, 1).padStart(10)}  ${l.name}: ${n(l.limit)} ${l.unit}; ${n(l.perOrder, 3)} per order`,
    ),
    `  One order is one DynamoDB partition (${n(1000)} write units/s): its item, 7 statuses and at most ${stage.perOrderCap} sockets, is billed a few units a write, far below (docs/capacity.md, "One order's item").`,
    "  SSM (40 GetParameters/s): one per new execution environment of the functions that read the token secret; it paces a cold scale-up, not a steady load.",
    "",
    `Per million orders: ${usdText(usdPerOrder(costFigures, load) * 1e6)} — ${Object.entries(
      usdPerOrderByItem(costFigures, load),
    )
      .sort((a, b) => b[1] - a[1])
      .map(([item, value]) => `${item} ${usdText(value * 1e6)}`)
      .join(", ")}.`,
    ...workflowLines,
    ...scales.flatMap((s) => [
      `×${s.multiple}: ${n(s.ordersPerSecond, 1)} orders/s (${n(s.ordersPerSecond * use.statuses, 1)} statuses/s), ${usdText(s.usdPerMonth)} a month`,
      ...(s.over.length === 0
        ? ["  fits as shipped"]
        : s.over.map((o) => `  raise ${o.name} from ${n(o.from)} to ≥ ${n(o.to)}: ${o.raise}`)),
    ]),
    "",
    `Bill guard at ${n(load.ordersPerSecond, 2)} orders/s: alarm past ${n(client.billGuard)} executions started in 5 min (BILL_GUARD_EXECUTIONS; ${Topology.BILL_GUARD.headroom} × the orders of 5 min).`,
    `One client (one address) sending valid orders, a day, at ${usdText(client.perOrderUsd * 1e6)} per million orders:`,
    `  before the edge    ${n(client.before.ordersPerDay)} orders (the stage's ${n(Topology.API_THROTTLES.http.rateLimit)}/s), ${usdText(client.before.usdPerDay)}`,
    `  behind the edge    ${n(client.paced.ordersPerDay)} orders paced at ${n(orders.limit)} per ${n(orders.windowSeconds)} s, ${usdText(client.paced.usdPerDay)}; bursting into WAF's ~${WAF_DETECTION_LAG_SECONDS} s lag every window: ${n(client.bursting.ordersPerDay)} orders, ${usdText(client.bursting.usdPerDay)}`,
    `  refused at the edge, at the stage's rate: ${usdText(client.refusedAtStageRateUsdPerDay)} (the edge bills every request it inspects)`,
    `  a link holder's frames (the edge never sees them): ${n(client.linkHolderMessages.perDay)} at the stage's message throttle, ${usdText(client.linkHolderMessages.usdPerDay)}`,
    `The edge itself: ${usdText(client.edge.usdPerMonth)} a month (web ACL and ${client.edge.rules} rules) and ${usdText(client.edge.usdPerMillionRequests)} per million requests (WAF and CloudFront).`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  // One line: Node's own argument errors span several.
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ");
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    process.stderr.write(`capacity: ${message} (npm run capacity -- --help)\n`);
    process.exit(2);
  }
  process.stderr.write(`capacity: ${message}\n`);
  process.exit(1);
});
