/**
 * `npm run capacity` as a real process on a small input: a figures file written here (one function,
 * round numbers, its own prices), so that the limits and the month's bill can be worked out by hand.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as Topology from "@awsomepets/core/platform/topology";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "capacity-"));
const figuresFile = path.join(dir, "figures.json");

const prices = {
  region: "us-east-1",
  checked: "2026-12-02",
  dynamodb: { usd_per_million_write_units: 0.625, usd_per_million_read_units: 0.125, source: "s", note: "n" },
  lambda: { usd_per_gb_second: 0.0000133334, usd_per_million_requests: 0.2, source: "s", note: "n" },
  apiGatewayWebSocket: {
    usd_per_million_messages: 1,
    usd_per_million_connection_minutes: 0.25,
    source: "s",
    note: "n",
  },
  eventBridge: { usd_per_million_events: 1, source: "s", note: "n" },
  stepFunctions: { usd_per_thousand_transitions: 0.025, source: "s", note: "n" },
};
// One order: 4 statuses, each one 100 ms callback invocation and 1 write unit; 1 frame in, 5 out; 6 transitions.
const figures = {
  date: "2026-12-02T00:00:00.000Z",
  engine: "test",
  scenario: { orders: 1, statuses_per_order: 4, step_delay_ms: 0, concurrency: 1 },
  prices,
  ours: {
    orders: 1,
    messages: { in: 1, out: 5 },
    events_per_status: 1,
    order_service: { transitions_per_order: 6 },
    by_function: {
      OrderWSCallbackFunction: {
        memory_mb: 1024,
        invocations_per_status: 1,
        ms_per_invocation_at_aws_latency: 100,
        write_units_per_status: 1,
        read_units_per_status: 0,
      },
    },
  },
};
writeFileSync(figuresFile, JSON.stringify(figures));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm run capacity` with ORDER_WORKFLOW_TYPE as given (unset: core's default), whatever the shell running the tests has. */
const capacityAs = (workflowType: string | undefined, ...args: string[]) => {
  const env = { ...process.env, ORDER_WORKFLOW_TYPE: workflowType };
  if (workflowType === undefined) delete env.ORDER_WORKFLOW_TYPE;
  return run(process.execPath, ["--import", "tsx", path.join(root, "scripts", "capacity.ts"), ...args], {
    cwd: root,
    env,
  });
};
// The small figures have no order_path (Express's bill): they price Standard's transitions.
const capacity = (...args: string[]) => capacityAs("STANDARD", ...args);

describe("npm run capacity", () => {
  it("prints what the stage carries, what binds first and the bill at 1×, 10× and 100×", async () => {
    const { stdout } = await capacity("--figures", figuresFile, "--orders-per-second", "2");
    for (const heading of [
      "It carries:",
      "orders/s",
      "statuses/s",
      "new connections/s",
      "watching customers",
      "binds first",
      "Limits, first to bind first",
      "×1: ",
      "×10: ",
      "×100: ",
    ]) {
      expect(stdout).toContain(heading);
    }
    // Per order, by hand: Lambda 0.4 s × 1 GB at the declared memory and 4 requests; 4 write units;
    // 6 messages; 4 events; 6 transitions; 10 connection minutes. 2 orders/s for 30 days.
    const gb = Topology.FUNCTION_RUNTIME.OrderWSCallbackFunction.memoryMB / 1024;
    const perOrder =
      0.4 * gb * 0.0000133334 + 4 * 0.2e-6 + 4 * 0.625e-6 + 6 * 1e-6 + 4 * 1e-6 + 6 * 0.025e-3 + 10 * 0.25e-6;
    const month = (perOrder * 2 * 30 * 24 * 3600).toLocaleString("en-US", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    expect(stdout).toContain(`×1: 2 orders/s (8 statuses/s), $${month} a month`);
  });

  it("prices one client before and behind the edge, and the bill guard for the given load", async () => {
    const { stdout } = await capacity("--figures", figuresFile, "--orders-per-second", "2");
    // Per order, by hand as above (one watcher for the default 10 minutes).
    const gb = Topology.FUNCTION_RUNTIME.OrderWSCallbackFunction.memoryMB / 1024;
    const perOrder =
      0.4 * gb * 0.0000133334 + 4 * 0.2e-6 + 4 * 0.625e-6 + 6 * 1e-6 + 4 * 1e-6 + 6 * 0.025e-3 + 10 * 0.25e-6;
    const money = (usd: number) =>
      `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const before = Topology.API_THROTTLES.http.rateLimit * 86_400;
    expect(stdout).toContain(
      `before the edge    ${before.toLocaleString("en-US")} orders (the stage's ${Topology.API_THROTTLES.http.rateLimit}/s), ${money(before * perOrder)}`,
    );
    const rule = Topology.EDGE_RULES.OrdersPerAddress;
    const paced = rule.limit * (86_400 / rule.windowSeconds);
    expect(stdout).toContain(
      `behind the edge    ${paced.toLocaleString("en-US")} orders paced at ${rule.limit} per ${rule.windowSeconds} s, ${money(paced * perOrder)}`,
    );
    expect(stdout).toContain(`alarm past ${(2 * 300 * 2).toLocaleString("en-US")} executions started in 5 min`);
    expect(stdout).toContain("The edge itself: $8.00 a month (web ACL and 3 rules) and $1.60 per million requests");
  });

  it("names the first limit the stage's declared throttles set", async () => {
    const { stdout } = await capacity("--figures", figuresFile, "--json");
    const report = JSON.parse(stdout) as { stage: { ordersPerSecond: number; bindsFirst: { name: string } } };
    const { http, webSocket } = Topology.API_THROTTLES;
    // Each order: 1 POST /orders, 1 $connect, 2 route messages (its sync and $disconnect); every AWS quota allows far more here.
    expect(report.stage.ordersPerSecond).toBe(
      Math.min(http.rateLimit, webSocket.routes.$connect.rateLimit, webSocket.default.rateLimit / 2),
    );
  });

  it("docs/capacity.md shows what it prints from the committed figures (the page is current)", async () => {
    // Prepare: the page's command and the block under it
    const page = readFileSync(path.join(root, "docs", "capacity.md"), "utf8");
    const shown =
      /`npm run capacity -- (--orders-per-second \d+ --figures bench\/cost-summary\.json)`[^`]*```\n([\s\S]*?)```/.exec(
        page,
      );
    expect(shown, "docs/capacity.md's shipped-stage command and its output block").not.toBeNull();
    // Act
    const { stdout } = await capacityAs(undefined, ...shown![1]!.split(" "));
    // Assess: `npm run capacity -- --orders-per-second 5 --figures bench/cost-summary.json` regenerates it
    expect(shown![2]).toBe(stdout);
  });

  it("says which workflow type it prices: core's default unless ORDER_WORKFLOW_TYPE says otherwise", async () => {
    const shipped = await capacityAs(undefined, "--figures", "bench/cost-summary.json");
    expect(shipped.stdout).toContain("its order workflow priced as EXPRESS (ORDER_WORKFLOW_TYPE, the default)");
    expect(shipped.stdout).toMatch(/Limits, first to bind first[\s\S]*Step Functions StartExecution \(Express\)/);
    const standard = await capacityAs("STANDARD", "--figures", "bench/cost-summary.json");
    expect(standard.stdout).toContain("its order workflow priced as STANDARD (ORDER_WORKFLOW_TYPE)");
    expect(standard.stdout).toContain("Step Functions state transitions");
    expect(shipped.stdout).not.toContain("Step Functions state transitions");
  });

  it("refuses to price Express from figures without an order_path, in one line, exit status 1", async () => {
    const failed = (await capacityAs("EXPRESS", "--figures", figuresFile).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    ))!;
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
    expect(failed.stderr).toMatch(
      /ORDER_WORKFLOW_TYPE is EXPRESS but .*figures\.json has no order_path.*or set ORDER_WORKFLOW_TYPE=STANDARD/,
    );
  });

  it("answers a bad option with one line and exit status 2", async () => {
    for (const args of [
      ["--orders-per-second", "0"],
      ["--orders-per-second", "-3"],
      ["--watchers", String(CallbackTable.DEFAULT_MAX_CONNECTIONS_PER_ORDER + 1)],
      ["--nonsense"],
    ]) {
      const failed = (await capacity("--figures", figuresFile, ...args).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      ))!;
      expect(failed, args.join(" ")).toMatchObject({ code: 2 });
      expect(failed.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    const failed = await capacity("--orders-per-second", "0").catch((error: { stderr: string }) => error);
    expect((failed as { stderr: string }).stderr).toContain("--orders-per-second must be a positive number");
  }, 90_000); // five processes, each loading core and the model (static imports): ~6 s apiece on a busy 2-core machine

  it("answers a workflow type it does not know as a usage error, naming the values", async () => {
    const failed = (await capacityAs("express", "--figures", figuresFile).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    ))!;
    expect(failed).toMatchObject({ code: 2 });
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);
    expect(failed.stderr).toContain(
      'ORDER_WORKFLOW_TYPE="express" is not allowed: it must be one of STANDARD, EXPRESS',
    );
  });
});
