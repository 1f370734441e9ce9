/** `startTestRuntime` with a target interceptor: the fault-injection hook of the chaos run. */
import type { RuntimeConfig } from "../../src/runtime/config";
import type { startLocalRuntime } from "../../src/runtime/start-runtime";
import * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";
import { NO_THROTTLES, startTestRuntime } from "@test-support/local-runtime";

type InterceptTarget = NonNullable<Parameters<typeof startLocalRuntime>[0]["interceptTarget"]>;

/**
 * At `npm run test:chaos` size, thousands of churning clients share 2 cores with the runtime, and an
 * invocation can wait longer than the emulated 10 s Lambda timeout for the CPU; the run is about
 * losing nothing, so it gives the functions a minute.
 */
export const startRuntimeWithInterceptor = (
  interceptTarget: InterceptTarget,
  overrides: Partial<RuntimeConfig> = {},
) => {
  // Chaos clients open many sockets per order, many aborted during $connect (which still hold a
  // place for the 30 s grace): the run tests loss and duplication, not the socket cap, which has
  // tests of its own (packages/functions/test/websocket/connect.test.ts) — so the cap is the most allowed.
  process.env[Topology.ENV.maxConnectionsPerOrder] = String(Tunables.TUNABLES.maxConnectionsPerOrder.max);
  // Its clients connect and sync far faster than the stage's throttles allow, which have tests of their own.
  return startTestRuntime({ throttles: NO_THROTTLES, ...overrides }, { interceptTarget, functionTimeoutMs: 60_000 });
};
