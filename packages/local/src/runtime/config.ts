/**
 * `npm start` options: flags first, then environment variables, then the documented defaults.
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";

export const DEFAULT_PORTS = { http: 3000, websocket: 3001, events: 4010, stepfunctions: 4020, dynamodb: 8000 } as const;
export const PORT_VARIABLES = {
  http: "LOCAL_HTTP_PORT",
  websocket: "LOCAL_WS_PORT",
  events: "LOCAL_EVENTS_PORT",
  stepfunctions: "LOCAL_SFN_PORT",
  dynamodb: "LOCAL_DYNAMODB_PORT",
} as const;
export type PortName = keyof typeof DEFAULT_PORTS;

export type RuntimeConfig = {
  stage: string;
  region: string;
  ports: Record<PortName, number>;
  dataDir?: string;
  json: boolean;
  tokenSecret: string;
  tokenSecretGenerated: boolean;
  /** API Gateway's limits, shortened by tests. */
  limits?: { idleTimeoutMs?: number; maxLifetimeMs?: number; maxMessageBytes?: number };
  /** EventBridge retry base delay and Step Functions retry interval, shortened by tests. */
  retryBaseDelayMs?: number;
};

function port(value: string | undefined, name: string) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return n;
}

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): RuntimeConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      stage: { type: "string" },
      "http-port": { type: "string" },
      "ws-port": { type: "string" },
      "events-port": { type: "string" },
      "sfn-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      "data-dir": { type: "string" },
      "token-secret": { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  const ports = {} as Record<PortName, number>;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    const flagName = { http: "http", websocket: "ws", events: "events", stepfunctions: "sfn", dynamodb: "dynamodb" }[name];
    const flag = values[`${flagName}-port` as "http-port"];
    const variable = PORT_VARIABLES[name];
    ports[name] = port(flag ?? env[variable] ?? String(DEFAULT_PORTS[name]), flag ? `--${flagName}-port` : variable);
  }
  const configuredSecret = values["token-secret"] ?? env.LOCAL_CALLBACK_TOKEN_SECRET;
  return {
    stage: values.stage ?? env.LOCAL_STAGE ?? "local",
    region: env.AWS_REGION ?? "us-east-1",
    ports,
    dataDir: values["data-dir"],
    json: values.json ?? false,
    tokenSecret: configuredSecret ?? randomBytes(32).toString("base64url"),
    tokenSecretGenerated: !configuredSecret,
  };
}
