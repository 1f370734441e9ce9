/**
 * The cost section of the benchmark's Markdown (stdout and bench/RESULTS.md): per delivered status,
 * ours against the seed's, priced from the run's own copy of the price table.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CostResults } from "./results";
import type { VariantCost } from "../metrics/cost";
import { round } from "./stats";
import { AWS_DYNAMODB_REQUEST_MS } from "./aws-meter";
import { orderPathMarkdown } from "../metrics/order-path-cost";
import * as OrderStatus from "@awsomepets/core/status/event";

/** The committed summary of the cost figures, for `npm run capacity` on a clone without a run of its own. */
export const COST_SUMMARY = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "cost-summary.json");

export const COST_SECTION_START = "<!-- cost:start (written by npm run bench -- --only cost --write-results) -->";
export const COST_SECTION_END = "<!-- cost:end -->";

const ratio = (ours: number, seed: number | undefined) => (seed ? `${round(ours / seed, 2)}×` : "–");
const usd = (n: number) => `$${n.toFixed(2)}`;

export function costMarkdown(cost: CostResults) {
  const { ours, seed, prices, scenario } = cost;
  const row = (label: string, get: (v: VariantCost) => number, format: (n: number) => string = String) =>
    `| ${label} | ${format(get(ours))} | ${seed ? format(get(seed)) : "–"} | ${ratio(get(ours), seed && get(seed))} |`;
  const items: Array<[string, keyof VariantCost["usd_per_million_statuses_by_item"]]> = [
    ["DynamoDB writes", "dynamodb_writes"],
    ["DynamoDB reads", "dynamodb_reads"],
    ["Lambda duration", "lambda_duration"],
    ["Lambda requests", "lambda_requests"],
    ["WebSocket messages", "messages"],
    ["EventBridge events", "events"],
  ];
  const perStatus = [
    "| per delivered status | ours | seed | ours / seed |",
    "|---|---|---|---|",
    row("DynamoDB write units", (v) => v.write_units_per_status),
    row("of which the callback store's", (v) => v.callback_store_write_units_per_status),
    row("DynamoDB read units", (v) => v.read_units_per_status),
    row("failed conditional writes (in the write units, 1 each)", (v) => v.failed_conditional_writes_per_status),
    row("Lambda billed ms (status path)", (v) => v.lambda_ms_per_status),
    row("Lambda GB-ms at declared memory", (v) => v.lambda_gb_ms_per_status),
    row("Lambda billed ms, DynamoDB at AWS latency", (v) => v.lambda_ms_per_status_at_aws_latency),
    row("Lambda invocations", (v) => v.lambda_invocations_per_status),
    row("WebSocket messages (in + out)", (v) => v.messages_per_status),
    row("EventBridge events", (v) => v.events_per_status),
    ...items.map(([label, key]) =>
      row(`USD per million statuses: ${label}`, (v) => v.usd_per_million_statuses_by_item[key], usd),
    ),
    row("**USD per million statuses**", (v) => v.usd_per_million_statuses, usd),
    row("USD per million statuses, DynamoDB at AWS latency", (v) => v.usd_per_million_statuses_at_aws_latency, usd),
    `| statuses delivered / published | ${ours.statuses_delivered} / ${ours.statuses_published} | ${seed ? `${seed.statuses_delivered} / ${seed.statuses_published}` : "–"} | |`,
  ].join("\n");
  const functionRows = (who: string, v: VariantCost) =>
    Object.entries(v.by_function).map(
      ([name, f]) =>
        `| ${who} | ${name} | ${f.memory_mb} | ${f.invocations_per_status} | ${f.ms_per_invocation} (${f.ms_per_invocation_at_aws_latency}) | ${f.billed_ms_per_status} | ${f.write_units_per_status} | ${f.read_units_per_status} |`,
    );
  const byFunction = [
    "| | function | MB | invocations / status | billed ms / invocation (DynamoDB at AWS latency) | billed ms / status | write units / status | read units / status |",
    "|---|---|---|---|---|---|---|---|",
    ...functionRows("ours", ours),
    ...(seed ? functionRows("seed", seed) : []),
  ].join("\n");
  const priceRows = [
    "| what | price (us-east-1, on-demand) | source | note |",
    "|---|---|---|---|",
    `| DynamoDB write / read request units | $${prices.dynamodb.usd_per_million_write_units} / $${prices.dynamodb.usd_per_million_read_units} per million | ${prices.dynamodb.source} | ${prices.dynamodb.note} |`,
    `| Lambda arm64 duration / requests | $${prices.lambda.usd_per_gb_second} per GB-s / $${prices.lambda.usd_per_million_requests} per million | ${prices.lambda.source} | ${prices.lambda.note} |`,
    `| API Gateway WebSocket messages / connection minutes | $${prices.apiGatewayWebSocket.usd_per_million_messages} / $${prices.apiGatewayWebSocket.usd_per_million_connection_minutes} per million | ${prices.apiGatewayWebSocket.source} | ${prices.apiGatewayWebSocket.note} |`,
    `| EventBridge custom events | $${prices.eventBridge.usd_per_million_events} per million | ${prices.eventBridge.source} | ${prices.eventBridge.note} |`,
    `| Step Functions standard transitions | $${prices.stepFunctions.usd_per_thousand_transitions} per 1,000 | ${prices.stepFunctions.source} | ${prices.stepFunctions.note} |`,
  ].join("\n");
  const o = ours.order_service;
  const orderService =
    `The order service, the same for both and apart from the figures above, per order: ${o.transitions_per_order} Step Functions transitions ` +
    `(${usd(o.usd_per_million_orders_transitions)} per million orders), ${o.lambda_ms_per_order} Lambda ms (\`POST /orders\` and the saga's steps), ` +
    `${o.write_units_per_order} write and ${o.read_units_per_order} read units.`;
  const incomplete = ours.incomplete_orders?.length
    ? `**Ours missed statuses** (${ours.lost} of ${ours.statuses_published}); for example: ${ours.incomplete_orders.map((o) => `order ${o.orderId} received ${o.frames.join(", ")} (saga ${o.saga})`).join("; ")}.`
    : "";
  const scenarios = cost.scenarios?.length
    ? [
        "Every scenario, per delivered status (the first is the one above; each in the same runtime after it, metered apart). The callback store's write units are what its layout decides: each write is billed on the order's item's size, before or after, per started KB (docs/capacity.md, \"One order's item\").",
        [
          "| scenario | orders | callback store write units: ours | seed | ours / seed | all write units: ours | seed | USD per million statuses: ours | seed | delivered / published: ours | seed |",
          "|---|---|---|---|---|---|---|---|---|---|---|",
          ...cost.scenarios.map((s) => {
            const both = (
              get: (f: NonNullable<typeof s.seed>) => number | string,
              format: (v: number | string) => string = String,
            ) => [format(get(s.ours)), s.seed ? format(get(s.seed)) : "–"];
            const [oursUnits, seedUnits] = both((f) => f.callback_store_write_units_per_status);
            return `| ${s.name} | ${s.orders} | ${oursUnits} | ${seedUnits} | ${ratio(s.ours.callback_store_write_units_per_status, s.seed?.callback_store_write_units_per_status)} | ${both((f) => f.write_units_per_status).join(" | ")} | ${both(
              (f) => f.usd_per_million_statuses,
              (v) => usd(Number(v)),
            ).join(" | ")} | ${both((f) => `${f.statuses_delivered} / ${f.statuses_published}`).join(" | ")} |`;
          }),
        ].join("\n"),
        `The cancel path is the longest (placed, reserved, paid, refunded, released, cancelled; the last three each carrying a reason of ${OrderStatus.REASON_MAX_LENGTH} characters, the most an event may carry), published on the bus a saga step apart, since the saga's own reasons are short; the seed's statuses, like ours, are the same events.`,
      ]
    : [];
  return [
    `Scenario: ${scenario.orders} orders through \`POST /orders\` (${scenario.statuses_per_order} statuses each, saga steps ${scenario.step_delay_ms} ms apart), ${scenario.concurrency} at a time, each watched by one client from the POST's answer until it has the order's statuses; ` +
      `DynamoDB: ${cost.engine}. Units are what DynamoDB answered to \`ReturnConsumedCapacity: TOTAL\` (index writes included); Lambda ms are handler durations in the local runtime, rounded up per invocation as Lambda bills, ` +
      "at each function's declared memory (`Topology.FUNCTION_RUNTIME`): local durations on a shared machine, not Lambda's — they rank the two, they do not predict a bill; " +
      `"at AWS latency" replaces each DynamoDB request's local wait with ${AWS_DYNAMODB_REQUEST_MS} ms (DynamoDB Local on a loaded machine answers far slower than DynamoDB). ` +
      "Ours and the seed's run on one DynamoDB with one step delay, so what differs is the algorithm. Connection minutes are left out (per watching minute, not per status: see docs/capacity.md).",
    perStatus,
    ...(incomplete ? [incomplete] : []),
    ...scenarios,
    byFunction,
    orderService,
    ...(cost.order_path ? [orderPathMarkdown(cost.order_path)] : []),
    `Prices, checked ${prices.checked} (bench/lib/aws-prices.ts):\n\n${priceRows}`,
  ].join("\n\n");
}

/** RESULTS.md with its cost section replaced (or appended), the rest left as it was. */
export function withCostSection(results: string, section: string) {
  const block = `${COST_SECTION_START}\n${section}\n${COST_SECTION_END}`;
  const start = results.indexOf(COST_SECTION_START);
  const end = results.indexOf(COST_SECTION_END);
  if (start >= 0 && end > start) return results.slice(0, start) + block + results.slice(end + COST_SECTION_END.length);
  return `${results.trimEnd()}\n\n${block}\n`;
}
