/**
 * Each function runs with the timeout and memory core declares for it (`Topology.FUNCTION_RUNTIME`,
 * which the stacks deploy), not a runtime-wide default; how a timeout fails the invocation and
 * discards its environment is tested with the pool (packages/aws-local/test/lambda).
 */
import { expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import { functionConfigurations } from "../../src/runtime/lambda";
import { ROOT } from "@test-support/local-runtime";

it("gives every function its own declared timeout, memory and module", () => {
  // Act
  const configurations = functionConfigurations({ root: ROOT, environment: () => ({}) });

  // Assess
  expect(Object.keys(configurations).sort()).toEqual(Object.keys(Topology.FUNCTIONS).sort());
  // Deploy-time functions (Topology.DEPLOY_FUNCTIONS) have a runtime too, but never run locally.
  for (const name of Object.keys(Topology.FUNCTIONS) as Topology.FunctionName[]) {
    const runtime = Topology.FUNCTION_RUNTIME[name];
    expect(configurations[name], name).toMatchObject({
      timeoutMs: runtime.timeoutSeconds * 1000,
      memoryMB: runtime.memoryMB,
    });
  }
  expect(configurations.OrderWSCallbackFunction).toMatchObject({
    modulePath: `${ROOT}/packages/functions/src/events/order-status-callback.ts`,
    exportName: "handler",
  });
});

it("lets the chaos run replace every timeout with its own", () => {
  // Act
  const configurations = functionConfigurations({ root: ROOT, environment: () => ({}), timeoutMs: 60_000 });

  // Assess
  expect(new Set(Object.values(configurations).map((c) => c.timeoutMs))).toEqual(new Set([60_000]));
});
