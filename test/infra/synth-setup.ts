/**
 * Synthesizes the stages the infrastructure tests look at, once per run, one after the other:
 * SST builds every function into the shared .sst/artifacts folder, so two synths must not overlap.
 * Each runs as its own process (`npm run synth`), as a developer would run it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/** A branch stage as long as SST lets one be (40 characters here; SST sets no maximum), to prove every name fits AWS's limits. */
export const LONG_STAGE = "feature-payments-refactor-and-more-xyz12";
export const SYNTH_STAGES = ["dev", "prod", LONG_STAGE] as const;
/**
 * Whether a stage keeps data is a deploy setting, not its name: `dev` is declared disposable; `prod`
 * and the long stage (whose name says nothing either way) keep theirs.
 */
export const DISPOSABLE_STAGE_ENV = { DISPOSABLE_STAGE: "true" };
/** Deploy-time settings of the long stage, to show that they reach the templates. */
export const LONG_STAGE_ENV = {
  ALARM_EMAIL: "ops@example.com",
  LOG_RETENTION_DAYS: "14",
  HTTP_API_THROTTLE_RATE: "3",
  HTTP_API_THROTTLE_BURST: "4",
  WEBSOCKET_THROTTLE_RATE: "5",
  WEBSOCKET_THROTTLE_BURST: "6",
  WEBSOCKET_CONNECT_THROTTLE_RATE: "7",
  WEBSOCKET_CONNECT_THROTTLE_BURST: "8",
  HISTORY_RETENTION_SECONDS: "172800",
  MAX_CONNECTIONS_PER_ORDER: "3",
  ORDER_EVENTS_ARCHIVE_DAYS: "9",
  ORDER_RETENTION_DAYS: "45",
  ADOPT_ORDERS_TABLE: "prod-awsomepets-callbacks-Orders-OrdersTblTable1A2B3C4D-0123456789AB",
  EDGE_ORDERS_PER_ADDRESS: "30",
  BILL_GUARD_EXECUTIONS: "1234",
  // The order workflow on Standard while an Express one drains (the other half of a switch of type):
  // dev and prod run the default type, so both types' templates pass every test.
  ORDER_WORKFLOW_TYPE: "STANDARD",
  ORDER_WORKFLOW_DRAINING: "EXPRESS",
  // A stage with its own domain: the APIs' execute-api endpoints disabled, the edge the only way in.
  EDGE_DOMAIN: "shop.example.com",
  EDGE_CERTIFICATE_ARN: "arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef",
};

declare module "vitest" {
  export interface ProvidedContext {
    synthDir: string;
  }
}

export default function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "synth-"));
  const tsx = path.resolve("node_modules", ".bin", "tsx");
  for (const stage of SYNTH_STAGES) {
    const { DISPOSABLE_STAGE: _unset, ...inherited } = process.env;
    const env = {
      ...inherited,
      ...(stage === LONG_STAGE ? LONG_STAGE_ENV : stage === "dev" ? DISPOSABLE_STAGE_ENV : {}),
    };
    execFileSync(tsx, ["scripts/synth.ts", "--stage", stage, "--out", dir], {
      stdio: ["ignore", "ignore", "inherit"],
      env,
    });
  }
  project.provide("synthDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
