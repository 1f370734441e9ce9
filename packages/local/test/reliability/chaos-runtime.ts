/** `startTestRuntime` with a target interceptor: the fault-injection hook of the chaos run. */
import type { RuntimeConfig } from "../../src/runtime/config";
import type { startLocalRuntime } from "../../src/runtime/start-runtime";
import { startTestRuntime } from "../runtime/support";

type InterceptTarget = NonNullable<Parameters<typeof startLocalRuntime>[0]["interceptTarget"]>;

export const startRuntimeWithInterceptor = (interceptTarget: InterceptTarget, overrides: Partial<RuntimeConfig> = {}) =>
  startTestRuntime(overrides, { interceptTarget });
