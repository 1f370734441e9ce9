/** `startTestRuntime` with a target interceptor: the fault-injection hook of the chaos run. */
import type { RuntimeConfig } from "../../src/runtime/config";
import type { startLocalRuntime } from "../../src/runtime/start-runtime";
import { startTestRuntime } from "../runtime/support";

type InterceptTarget = NonNullable<Parameters<typeof startLocalRuntime>[0]["interceptTarget"]>;

/**
 * At `npm run test:chaos` size, thousands of churning clients share 2 cores with the runtime, and an
 * invocation can wait longer than the emulated 10 s Lambda timeout for the CPU; the run is about
 * losing nothing, so it gives the functions a minute.
 */
export const startRuntimeWithInterceptor = (interceptTarget: InterceptTarget, overrides: Partial<RuntimeConfig> = {}) =>
  startTestRuntime(overrides, { interceptTarget, functionTimeoutMs: 60_000 });
