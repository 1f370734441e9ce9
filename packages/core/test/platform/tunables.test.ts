/** The one parser of deploy-time numbers: the stacks call it at synth, the functions at run time. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";

const { parseTunable, readTunables, TunableError, TUNABLES } = Tunables;

describe("parseTunable", () => {
  it.each(Object.keys(TUNABLES) as Tunables.TunableName[])(
    "%s: unset or empty is the default, which is in its own range",
    (name) => {
      const spec = TUNABLES[name];
      expect(parseTunable(name, undefined)).toBe(spec.defaultValue);
      expect(parseTunable(name, "")).toBe(spec.defaultValue);
      expect(spec.defaultValue).toBeGreaterThanOrEqual(spec.min);
      expect(spec.defaultValue).toBeLessThanOrEqual(spec.max);
    },
  );

  it("takes a whole number within the range, the bounds included", () => {
    expect(parseTunable("maxConnectionsPerOrder", "1")).toBe(1);
    expect(parseTunable("maxConnectionsPerOrder", "18")).toBe(18);
    expect(parseTunable("historyRetentionSeconds", String(CallbackTable.CONNECTION_TTL_SECONDS))).toBe(
      CallbackTable.CONNECTION_TTL_SECONDS,
    );
  });

  it.each([
    ["historyRetentionSeconds", "1d"],
    ["historyRetentionSeconds", "86400s"],
    ["historyRetentionSeconds", "8.64e4"],
    ["historyRetentionSeconds", " 86400"],
    ["maxConnectionsPerOrder", "-1"],
    ["maxConnectionsPerOrder", "1.5"],
    ["maxConnectionsPerOrder", "ten"],
    ["maxConnectionsPerOrder", "0x10"],
    ["syncRatePerSecond", "Infinity"],
    ["fanoutConcurrency", "99999999999999999999"],
  ] as const)("refuses %s=%j, which is not a whole number", (name, raw) => {
    expect(() => parseTunable(name, raw)).toThrow(TunableError);
    expect(() => parseTunable(name, raw)).toThrow(
      `${TUNABLES[name].variable}="${raw}" is not allowed: it must be a whole number of`,
    );
  });

  it("refuses a retention shorter than the connections' TTL, saying why", () => {
    const raw = String(CallbackTable.CONNECTION_TTL_SECONDS - 1);
    expect(() => parseTunable("historyRetentionSeconds", raw)).toThrow(
      `HISTORY_RETENTION_SECONDS="${raw}" is not allowed: it must be a whole number of seconds from ${CallbackTable.CONNECTION_TTL_SECONDS} to 2592000 ` +
        `(default 86400); at least the connections' TTL (${CallbackTable.CONNECTION_TTL_SECONDS} s), so that an order's item outlives its sockets`,
    );
  });

  it("refuses more than 18 sockets per order (the order's item would pass 1 KB of sockets), and 0", () => {
    expect(() => parseTunable("maxConnectionsPerOrder", "19")).toThrow(
      /MAX_CONNECTIONS_PER_ORDER="19" .* from 1 to 18 .*54 bytes to the order's item/,
    );
    expect(() => parseTunable("maxConnectionsPerOrder", "1000")).toThrow(TunableError);
    expect(() => parseTunable("maxConnectionsPerOrder", "999999")).toThrow(TunableError);
    expect(() => parseTunable("maxConnectionsPerOrder", "0")).toThrow(TunableError);
  });

  it("refuses a sync burst below 2, the least the message bucket works with, rather than using 2 silently", () => {
    expect(() => parseTunable("syncBurst", "1")).toThrow(/SYNC_BURST="1" .* from 2 to 100 .*streak of refusals/);
    expect(parseTunable("syncBurst", "2")).toBe(2);
  });

  it("reads each function setting under the name of the wiring contract, and each stack setting under DEPLOY_ENV's", () => {
    const names = new Set<string>([...Object.values(Topology.ENV), ...Object.values(Topology.DEPLOY_ENV)]);
    for (const spec of Object.values(TUNABLES)) expect(names).toContain(spec.variable);
    expect(new Set(Object.values(TUNABLES).map((spec) => spec.variable)).size).toBe(Object.keys(TUNABLES).length);
    for (const setting of Topology.OPTIONAL_SETTINGS)
      expect(TUNABLES[setting as Tunables.TunableName]?.variable).toBe(Topology.ENV[setting]);
  });
});

describe("readTunables", () => {
  it("reads what is set and defaults the rest", () => {
    expect(
      readTunables({ SYNC_BURST: "7", FANOUT_CONCURRENCY: "" }, [
        "syncBurst",
        "fanoutConcurrency",
        "syncRatePerSecond",
      ]),
    ).toEqual({
      syncBurst: 7,
      fanoutConcurrency: TUNABLES.fanoutConcurrency.defaultValue,
      syncRatePerSecond: TUNABLES.syncRatePerSecond.defaultValue,
    });
  });

  it("names every bad variable at once, one line each", () => {
    const read = () =>
      readTunables({ HISTORY_RETENTION_SECONDS: "1d", SYNC_BURST: "5", WEBSOCKET_THROTTLE_RATE: "0" }, [
        "historyRetentionSeconds",
        "syncBurst",
        "webSocketThrottleRate",
      ]);
    expect(read).toThrow(TunableError);
    const lines = (() => {
      try {
        read();
      } catch (error) {
        return (error as Error).message.split("\n");
      }
    })();
    expect(lines).toEqual([
      expect.stringMatching(/^HISTORY_RETENTION_SECONDS="1d"/),
      expect.stringMatching(/^WEBSOCKET_THROTTLE_RATE="0"/),
    ]);
  });
});

describe("throttle sizing", () => {
  it("computes each throttle from the sizing inputs: headroom over the expected rate, a burst of burstSeconds of it", () => {
    const sizing = Topology.THROTTLE_SIZING;
    const sockets = sizing.concurrentCustomers * sizing.socketsPerCustomer;
    const connects = (sockets * sizing.connectsPerSocketPerMinute) / 60;
    const expected = (perSecond: number) => {
      const rateLimit = Math.ceil(perSecond * sizing.headroom);
      return { rateLimit, burstLimit: rateLimit * sizing.burstSeconds };
    };
    expect(Topology.API_THROTTLES.webSocket.routes.$connect).toEqual(expected(connects));
    expect(Topology.API_THROTTLES.webSocket.default).toEqual(
      expected(2 * connects + (sockets * sizing.messagesPerSocketPerMinute) / 60),
    );
    expect(Topology.API_THROTTLES.http).toEqual(
      expected((sizing.pageLoadsPerMinute * sizing.httpRequestsPerPageLoad + sizing.ordersPerMinute) / 60),
    );
  });

  it("are the figures docs/protocol.md and docs/deploy-and-operate.md give", () => {
    const { http, webSocket } = Topology.API_THROTTLES;
    const protocol = readFileSync("docs/protocol.md", "utf8");
    for (const { rateLimit, burstLimit } of [webSocket.routes.$connect, webSocket.default, http])
      expect(protocol).toContain(`| ${rateLimit}/s | ${burstLimit} |`);
    const readme = readFileSync("docs/deploy-and-operate.md", "utf8").replace(/\s+/g, " ");
    expect(readme).toContain(`HTTP_API_THROTTLE_RATE\`/\`_BURST\` [${http.rateLimit}/${http.burstLimit} `);
    expect(readme).toContain(
      `WEBSOCKET_THROTTLE_RATE\`/\`_BURST\` [${webSocket.default.rateLimit}/${webSocket.default.burstLimit} `,
    );
    expect(readme).toContain(
      `WEBSOCKET_CONNECT_THROTTLE_RATE\`/\`_BURST\` [${webSocket.routes.$connect.rateLimit}/${webSocket.routes.$connect.burstLimit} `,
    );
  });
});

describe("the order workflow's type (a choice, not a number)", () => {
  it("defaults when unset or empty, takes either type exactly, and names the variable, the values and the default otherwise", () => {
    expect(Tunables.parseChoice("orderWorkflowType", undefined)).toBe(Tunables.DEFAULT_ORDER_WORKFLOW_TYPE);
    expect(Tunables.parseChoice("orderWorkflowType", "")).toBe(Tunables.DEFAULT_ORDER_WORKFLOW_TYPE);
    expect(Tunables.parseChoice("orderWorkflowType", "STANDARD")).toBe("STANDARD");
    expect(Tunables.parseChoice("orderWorkflowType", "EXPRESS")).toBe("EXPRESS");
    expect(() => Tunables.parseChoice("orderWorkflowType", "express")).toThrow(
      `ORDER_WORKFLOW_TYPE="express" is not allowed: it must be one of STANDARD, EXPRESS (default ${Tunables.DEFAULT_ORDER_WORKFLOW_TYPE})`,
    );
  });

  it("drains only the other type, and lists every problem at once", () => {
    expect(Tunables.readChoices({ ORDER_WORKFLOW_TYPE: "EXPRESS", ORDER_WORKFLOW_DRAINING: "STANDARD" })).toEqual({
      orderWorkflowType: "EXPRESS",
      orderWorkflowDraining: "STANDARD",
    });
    expect(Tunables.readChoices({})).toEqual({
      orderWorkflowType: Tunables.DEFAULT_ORDER_WORKFLOW_TYPE,
      orderWorkflowDraining: "NONE",
    });
    expect(() =>
      Tunables.readChoices({ ORDER_WORKFLOW_TYPE: "STANDARD", ORDER_WORKFLOW_DRAINING: "STANDARD" }),
    ).toThrow(/ORDER_WORKFLOW_DRAINING="STANDARD" is not allowed: it names the type being deployed/);
    const both = (() => {
      try {
        Tunables.readChoices({ ORDER_WORKFLOW_TYPE: "FAST", ORDER_WORKFLOW_DRAINING: "SLOW" });
      } catch (error) {
        return (error as Tunables.TunableError).problems;
      }
    })();
    expect(both?.map((p) => p.split("=")[0])).toEqual(["ORDER_WORKFLOW_TYPE", "ORDER_WORKFLOW_DRAINING"]);
  });

  it("gives each type its own state machine name (Standard keeps the one stages were deployed with) and bounds Express's definition by its 5 minutes", () => {
    expect(Topology.workflowName("STANDARD")).toBe(Topology.WORKFLOW.name);
    expect(Topology.workflowName("EXPRESS")).not.toBe(Topology.WORKFLOW.name);
    const asl = JSON.parse(readFileSync(Topology.WORKFLOW.definitionFile, "utf8"));
    expect(Topology.workflowDefinitionFor(asl, "STANDARD")).toBe(asl);
    expect(Topology.workflowDefinitionFor(asl, "EXPRESS")).toEqual({
      ...asl,
      TimeoutSeconds: Topology.EXPRESS_MAX_DURATION_SECONDS,
    });
  });

  it("leaves room in Express's 5 minutes for every status's publish retries on the longest path", () => {
    // The longest path publishes reserved, paid, refunded, released, cancelled: each Publish state's
    // retries wait at most the sum of its intervals (full jitter waits less).
    const asl = JSON.parse(readFileSync(Topology.WORKFLOW.definitionFile, "utf8"));
    const publishes = Object.values(asl.States as Record<string, any>).filter(
      (s) => s.Resource === "arn:aws:states:::events:putEvents",
    );
    const worstWait = (retry: { IntervalSeconds: number; MaxAttempts: number; BackoffRate: number }) =>
      Array.from({ length: retry.MaxAttempts }, (_, i) => retry.IntervalSeconds * retry.BackoffRate ** i).reduce(
        (a, b) => a + b,
        0,
      );
    const total = publishes.reduce((sum, s) => sum + worstWait(s.Retry[0]), 0);
    expect(publishes).toHaveLength(6);
    expect(total).toBeLessThan(Topology.EXPRESS_MAX_DURATION_SECONDS / 1.5);
  });
});
