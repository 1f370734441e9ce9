/**
 * `startTestRuntime` with a target interceptor: the same in-process runtime (free ports, short retry
 * delays, log records kept), plus the fault-injection hook that `startTestRuntime` does not pass on.
 */
import type { RuntimeConfig } from "../../src/runtime/config";
import type { LogRecord } from "../../src/runtime/log";
import { startLocalRuntime } from "../../src/runtime/start-runtime";
import { ROOT, TOKEN_SECRET } from "../runtime/support";

type InterceptTarget = NonNullable<Parameters<typeof startLocalRuntime>[0]["interceptTarget"]>;

export async function startRuntimeWithInterceptor(interceptTarget: InterceptTarget, overrides: Partial<RuntimeConfig> = {}) {
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  const records: LogRecord[] = [];
  const config: RuntimeConfig = {
    stage: "test",
    region: "us-east-1",
    ports: { http: 0, websocket: 0, events: 0, stepfunctions: 0, dynamodb: 0 },
    json: false,
    tokenSecret: TOKEN_SECRET,
    tokenSecretGenerated: false,
    retryBaseDelayMs: 5,
    ...overrides,
  };
  const runtime = await startLocalRuntime({ config, root: ROOT, log: (record) => records.push(record), interceptTarget });
  return { ...runtime, records };
}
