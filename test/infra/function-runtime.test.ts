/**
 * Every Lambda function of every synthesized stage runs with the timeout and memory declared for it:
 * the app's from Topology.FUNCTION_RUNTIME, SST's and CDK's deploy-time helpers from
 * stacks/function-runtime.ts. None is left on a framework default (SST's is 10 s and 1,024 MB).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, inject } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { DEPLOY_HELPER_RUNTIME } from "../../stacks/function-runtime";
import { SYNTH_STAGES } from "./synth-setup";
import { resourcesOfType } from "./template";

/**
 * Lambda's init phase may take up to 10 s before the handler's own timeout starts, and API Gateway
 * answers 504 after 29 s in all: a route function's timeout must leave that room, so that a slow
 * cold start still ends in the function's answer, not the gateway's.
 */
const LAMBDA_INIT_LIMIT_SECONDS = 10;
const ROUTE_FUNCTIONS = [
  ...new Set([...Object.values(Topology.WEBSOCKET_ROUTES), ...Object.values(Topology.HTTP_ROUTES)]),
];

type Runtime = { timeoutSeconds: number; memoryMB: number; reservedConcurrency?: number };
const declared: Record<string, Runtime> = { ...Topology.FUNCTION_RUNTIME, ...DEPLOY_HELPER_RUNTIME };
/** The construct id a function's logical id starts with (CDK drops non-alphanumerics and appends a hash). */
const ownerOf = (logicalId: string) =>
  Object.keys(declared).find((owner) =>
    new RegExp(`^${owner.replace(/[^A-Za-z0-9]/g, "")}(Handler)?[0-9A-F]{8}$`).test(logicalId),
  );

const functionsOf = (stage: string) => {
  const dir = path.join(inject("synthDir"), stage);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => resourcesOfType(JSON.parse(readFileSync(path.join(dir, f), "utf8")), "AWS::Lambda::Function"));
};

describe.each(SYNTH_STAGES)("stage %s", (stage) => {
  const functions = functionsOf(stage);

  it("has each of the app's functions once, deploy-time ones included", () => {
    const owners = functions.map(([id]) => ownerOf(id)).filter((owner) => owner && owner in Topology.FUNCTION_RUNTIME);
    expect(owners.sort()).toEqual(Object.keys({ ...Topology.FUNCTIONS, ...Topology.DEPLOY_FUNCTIONS }).sort());
  });

  it("gives every Lambda function its declared timeout, memory and reserved concurrency", () => {
    for (const [id, fn] of functions) {
      const owner = ownerOf(id);
      expect(owner, `${id} has no declared runtime`).toBeDefined();
      const runtime = declared[owner!]!;
      expect({
        id,
        timeout: fn.Properties.Timeout,
        memory: fn.Properties.MemorySize,
        reserved: fn.Properties.ReservedConcurrentExecutions,
      }).toEqual({
        id,
        timeout: runtime.timeoutSeconds,
        memory: runtime.memoryMB,
        reserved: runtime.reservedConcurrency,
      });
    }
  });
});

describe("route functions", () => {
  it.each(ROUTE_FUNCTIONS)("%s times out before API Gateway's 29 s, with room for a cold start", (name) => {
    const { timeoutSeconds } = Topology.FUNCTION_RUNTIME[name];
    expect(timeoutSeconds + LAMBDA_INIT_LIMIT_SECONDS).toBeLessThan(Topology.API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS);
  });
});
