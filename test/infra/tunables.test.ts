/**
 * Deploy-time settings: read through core's one parser (Tunables), they reach the functions under the
 * names the functions read, and a bad one stops the synth with a message naming it, its value and
 * the allowed range, without a stack trace.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { deploySettings } from "../../stacks/deploy-settings";
import { LONG_STAGE, LONG_STAGE_ENV } from "./synth-setup";
import { functionLogicalId, resourcesOfType, stageTemplates } from "./template";

/** Runs a command to its end without blocking this worker (a blocked worker misses vitest's own calls). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const variablesOf = async (stage: string, name: Topology.FunctionName) => {
  const { raw } = (await stageTemplates(stage)).callbacks;
  return raw.Resources[functionLogicalId(raw, name)].Properties.Environment.Variables as Record<string, string>;
};

describe("deploy-time settings", () => {
  it("reach each callback function under the contract's names: the default when unset, else the value set", async () => {
    const connect = await variablesOf("dev", "OrderWSConnectFunction");
    expect(connect[Topology.ENV.historyRetentionSeconds]).toBe(
      String(Tunables.TUNABLES.historyRetentionSeconds.defaultValue),
    );
    expect(connect[Topology.ENV.maxConnectionsPerOrder]).toBe(
      String(Tunables.TUNABLES.maxConnectionsPerOrder.defaultValue),
    );
    const long = await variablesOf(LONG_STAGE, "OrderWSConnectFunction");
    expect(long[Topology.ENV.historyRetentionSeconds]).toBe(LONG_STAGE_ENV.HISTORY_RETENTION_SECONDS);
    expect(long[Topology.ENV.maxConnectionsPerOrder]).toBe(LONG_STAGE_ENV.MAX_CONNECTIONS_PER_ORDER);
    const sync = await variablesOf("dev", "OrderWSPendingFunction");
    expect(sync).toMatchObject({ SYNC_RATE_PER_SECOND: "2", SYNC_BURST: "5" });
  });

  it("give CreateOrderFunction the orders' retention, and no other function (the readers only compare expiresAt with now)", async () => {
    const ordersVariables = async (stage: string, name: Topology.FunctionName) => {
      const { raw } = (await stageTemplates(stage)).orders;
      return raw.Resources[functionLogicalId(raw, name)].Properties.Environment?.Variables as
        | Record<string, string>
        | undefined;
    };
    expect((await ordersVariables("dev", "CreateOrderFunction"))?.[Topology.ENV.orderRetentionDays]).toBe(
      String(Tunables.TUNABLES.orderRetentionDays.defaultValue),
    );
    expect((await ordersVariables(LONG_STAGE, "CreateOrderFunction"))?.[Topology.ENV.orderRetentionDays]).toBe(
      LONG_STAGE_ENV.ORDER_RETENTION_DAYS,
    );
    for (const name of ["GetOrderFunction", "ProcessPaymentFunction", "OrderStatusProjectionFunction"] as const) {
      expect((await ordersVariables("dev", name))?.[Topology.ENV.orderRetentionDays], name).toBeUndefined();
    }
  });

  it("set the order events' archive retention", async () => {
    const archive = async (stage: string) =>
      resourcesOfType((await stageTemplates(stage)).orders.raw, "AWS::Events::Archive")[0]![1].Properties.RetentionDays;
    expect(await archive("dev")).toBe(Tunables.TUNABLES.orderEventsArchiveDays.defaultValue);
    expect(await archive(LONG_STAGE)).toBe(Number(LONG_STAGE_ENV.ORDER_EVENTS_ARCHIVE_DAYS));
  });

  it("are refused all at once, each named with its value and range", () => {
    expect(() =>
      deploySettings({ HISTORY_RETENTION_SECONDS: "1d", MAX_CONNECTIONS_PER_ORDER: "999999", SYNC_BURST: "5" }),
    ).toThrow(
      /^Deploy settings out of range:\nHISTORY_RETENTION_SECONDS="1d" is not allowed: .* from 8100 to 2592000 .*\nMAX_CONNECTIONS_PER_ORDER="999999" is not allowed: .* from 1 to 18 /,
    );
  });

  it("stop the synth on a bad value, with the message and no stack trace", async () => {
    const out = mkdtempSync(path.join(tmpdir(), "synth-bad-"));
    try {
      const synth = await run(
        path.resolve("node_modules", ".bin", "tsx"),
        ["scripts/synth.ts", "--stage", "bad-settings", "--out", out],
        {
          ...process.env,
          HISTORY_RETENTION_SECONDS: "1d",
          WEBSOCKET_CONNECT_THROTTLE_RATE: "0",
        },
      );
      expect(synth.status).toBe(1);
      expect(synth.stderr).toContain(
        'HISTORY_RETENTION_SECONDS="1d" is not allowed: it must be a whole number of seconds from 8100 to 2592000 (default 86400)',
      );
      expect(synth.stderr).toContain(
        'WEBSOCKET_CONNECT_THROTTLE_RATE="0" is not allowed: it must be a whole number of connects per second from 1 to 10000',
      );
      expect(synth.stderr).not.toMatch(/^\s+at /m);
      expect(synth.stdout).not.toContain("resources →");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
