/**
 * `npm start` options: flags first, then environment variables, then the documented defaults.
 * The token secret is never a flag: a secret in argv is visible to every user in `ps`.
 */
import { HelpRequested, UsageError } from "../cli/cli-errors";
import { parseFlags } from "../cli/parse-flags";
import { parseStage } from "../cli/stage-option";
import { parseDuration } from "./duration";
import * as StageName from "@awsomepets/core/platform/stage-name";
import type * as Topology from "@awsomepets/core/platform/topology";
import * as Tunables from "@awsomepets/core/platform/tunables";

export const DEFAULT_PORTS = {
  http: 3000,
  websocket: 3001,
  events: 4010,
  stepfunctions: 4020,
  dynamodb: 8000,
} as const;
export const PORT_VARIABLES = {
  http: "LOCAL_HTTP_PORT",
  websocket: "LOCAL_WS_PORT",
  events: "LOCAL_EVENTS_PORT",
  stepfunctions: "LOCAL_SFN_PORT",
  dynamodb: "LOCAL_DYNAMODB_PORT",
} as const;
export const PORT_FLAGS = {
  http: "http-port",
  websocket: "ws-port",
  events: "events-port",
  stepfunctions: "sfn-port",
  dynamodb: "dynamodb-port",
} as const;
export const PORT_LABELS = {
  http: "HTTP server",
  websocket: "WebSocket gateway",
  events: "EventBridge endpoint",
  stepfunctions: "Step Functions endpoint",
  dynamodb: "DynamoDB API",
} as const;
export type PortName = keyof typeof DEFAULT_PORTS;

/**
 * Environments of all functions together at most (`LOCAL_MAX_ENVIRONMENTS`): what keeps `npm start`
 * laptop-sized. Each is a V8 heap with its own copy of its modules (15–40 MB resident;
 * docs/decisions/local-environments-share-a-cap.md), and one order's path runs 10 of the 15
 * functions: room for each of those plus two invocations at once. Past it, another function's idle
 * environment is reclaimed, or the invocation waits (aws-local's pool.ts). Above 60 (15 functions ×
 * 4 each) it binds nothing; below 2 every order's steps would queue behind the authorizer.
 */
export const DEFAULT_MAX_ENVIRONMENTS = 12;
export const MAX_ENVIRONMENTS_RANGE = { min: 2, max: 60 } as const;

/**
 * Each environment's V8 young generation, MB (`LOCAL_YOUNG_GENERATION_MB`): V8 sizes it from the
 * heap's limit (up to 3 × 16 MB), and an environment's short-lived garbage then stays resident
 * between its scavenges. 4 MB means more frequent scavenges, each of a few objects; what fits in
 * the function's memory is unchanged. 64 is past what V8 would choose itself.
 */
export const DEFAULT_YOUNG_GENERATION_MB = 4;
export const YOUNG_GENERATION_MB_RANGE = { min: 1, max: 64 } as const;

export type RuntimeConfig = {
  stage: string;
  region: string;
  ports: Record<PortName, number>;
  /** Tables, token secret, executions and pending deliveries survive restarts here. */
  dataDir?: string;
  json: boolean;
  tokenSecret: string;
  tokenSecretGenerated: boolean;
  /** Where the secret came from, for the banner. */
  tokenSecretOrigin?: "configuration" | "data-dir" | "generated";
  /** Waits this long before each saga step, so that statuses arrive one by one (`--step-delay`). */
  stepDelayMs?: number;
  /** Rebuild the handlers on a save and reload the functions whose code changed (`--watch`). */
  watch?: boolean;
  /** The Node inspector's port on 127.0.0.1 (`--inspect[=port]`); undefined: no inspector. */
  inspectPort?: number;
  /** API Gateway's limits, shortened by tests. */
  limits?: { idleTimeoutMs?: number; maxLifetimeMs?: number; maxMessageBytes?: number; postTimeoutMs?: number };
  /** EventBridge retry base delay and Step Functions retry interval, shortened by tests. */
  retryBaseDelayMs?: number;
  /** How many finished executions DescribeExecution/ListExecutions keep (oldest evicted first). */
  maxFinishedExecutions?: number;
  /**
   * API Gateway's throttles, `Topology.API_THROTTLES` unless given: tests and the benchmark, which
   * open sockets or send requests faster than a stage allows, raise them.
   */
  throttles?: {
    http?: { rateLimit: number; burstLimit: number };
    webSocket?: {
      default?: { rateLimit: number; burstLimit: number };
      routes?: Record<string, { rateLimit: number; burstLimit: number }>;
    };
  };
  /**
   * The edge's per-address rate-based rules (`Topology.EDGE_RULES`, `EDGE_*_PER_ADDRESS`) in front of
   * the order API and the WebSocket upgrades; tests and the benchmark that drive many orders from one
   * address raise them, as they raise the throttles.
   */
  edgeRules?: Tunables.EdgeRules;
  /** The order workflow's type (`ORDER_WORKFLOW_TYPE`, core's default unless given), as a stage deploys it. */
  workflowType?: Topology.WorkflowType;
  /** Express's at-least-once made visible: every order's execution runs twice (`LOCAL_EXPRESS_RUNS_TWICE=true`). */
  expressRunsTwice?: boolean;
  /** Express's 5-minute limit, shortened by tests. */
  expressMaxDurationMs?: number;
  /** Environments of all functions together (`LOCAL_MAX_ENVIRONMENTS`), `DEFAULT_MAX_ENVIRONMENTS` unless given. */
  maxEnvironments?: number;
  /**
   * Each environment's V8 young generation, MB (`LOCAL_YOUNG_GENERATION_MB`), `DEFAULT_YOUNG_GENERATION_MB` unless
   * given.
   */
  youngGenerationMb?: number;
};

/** The workflow type a runtime runs: its configuration's, else core's default. */
export const workflowTypeOf = (config: Pick<RuntimeConfig, "workflowType">): Topology.WorkflowType =>
  config.workflowType ?? Tunables.DEFAULT_ORDER_WORKFLOW_TYPE;

export const START_USAGE = `Usage: npm start -- [options]

Runs the order callbacks offline: DynamoDB (dynalite), the WebSocket gateway, EventBridge,
Step Functions, the order API and the order tracker page, with the deployed handler modules.

Options (each port also reads the variable named, default in brackets; 0 picks a free port):
  --stage <name>           stage name in resource names (LOCAL_STAGE) [local]: a letter, then
                           letters, digits and hyphens, at most ${StageName.MAX_STAGE_LENGTH} characters
  --http-port <n>          order API, page and /health (LOCAL_HTTP_PORT) [3000]
  --ws-port <n>            WebSocket API and @connections (LOCAL_WS_PORT) [3001]
  --events-port <n>        EventBridge endpoint (LOCAL_EVENTS_PORT) [4010]
  --sfn-port <n>           Step Functions endpoint (LOCAL_SFN_PORT) [4020]
  --dynamodb-port <n>      DynamoDB API (LOCAL_DYNAMODB_PORT) [8000]
  --data-dir <dir>         keep tables, the token secret, executions and pending deliveries in <dir>
                           across restarts (without it, state is in memory only)
  --step-delay <duration>  wait this long before each saga step, with its unit: 800ms, 1.5s [0]
  --watch                  on a save under packages/core or packages/functions, rebuild the handlers
                           and reload the functions whose code changed; state and sockets stay
  --inspect[=<port>]       open the Node inspector on 127.0.0.1:<port> [9229] for a debugger
                           (VS Code, chrome://inspect); functions may then sit on a breakpoint
                           up to 15 minutes (Lambda's longest timeout) instead of their own
  --json                   log one JSON object per line instead of text
  -h, --help               show this help

Environment:
  LOCAL_CALLBACK_TOKEN_SECRET  the callback-link signing secret (else kept in --data-dir, else generated)
  ORDER_WORKFLOW_TYPE          the order workflow's type, STANDARD or EXPRESS, as at deploy [${Tunables.DEFAULT_ORDER_WORKFLOW_TYPE}]
  LOCAL_EXPRESS_RUNS_TWICE     true: every Express execution runs twice, as AWS may (at least once); EXPRESS only
  LOCAL_MAX_ENVIRONMENTS       Lambda environments of all functions together, ${MAX_ENVIRONMENTS_RANGE.min}-${MAX_ENVIRONMENTS_RANGE.max} [${DEFAULT_MAX_ENVIRONMENTS}]
  LOCAL_YOUNG_GENERATION_MB    each environment's V8 young generation in MB, ${YOUNG_GENERATION_MB_RANGE.min}-${YOUNG_GENERATION_MB_RANGE.max} [${DEFAULT_YOUNG_GENERATION_MB}]
  AWS_REGION                   region in ARNs and event envelopes [us-east-1]
  LOCAL_RUNTIME_STATE_FILE     where the other commands find this runtime [.sst/local/runtime.json]

Exit codes: 0 stopped by SIGINT/SIGTERM (or its parent npm exiting); 1 could not start (a port taken,
another runtime running) or failed while running; 2 invalid options.`;

function port(value: string | undefined, name: string) {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`${name} must be a port number (0-65535), got ${JSON.stringify(value)}`, false);
  }
  return n;
}

/** An integer variable within its range; unset or empty: its default. */
function integerVariable(env: NodeJS.ProcessEnv, name: string, range: { min: number; max: number }, fallback: number) {
  const value = env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `${name} must be an integer from ${range.min} to ${range.max} (default ${fallback}), got ${JSON.stringify(value)}`,
      false,
    );
  }
  return n;
}

export const DEFAULT_INSPECT_PORT = 9229;

/** `--inspect` alone is 9229; `--inspect=<port>` (not `--inspect <port>`: a bare flag takes no value). */
function inspectOption(argv: string[]): { argv: string[]; inspectPort?: number } {
  let inspectPort: number | undefined;
  const rest = argv.filter((arg) => {
    if (arg === "--inspect") inspectPort = DEFAULT_INSPECT_PORT;
    else if (arg.startsWith("--inspect=")) {
      const value = arg.slice("--inspect=".length);
      const n = Number(value);
      // 0 would pick a free port: fine for tests, which read it from the log.
      if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) {
        throw new UsageError(
          `--inspect must be a port number (0-65535), as in --inspect=9230, got ${JSON.stringify(value)}`,
          false,
        );
      }
      inspectPort = n;
    } else return true;
    return false;
  });
  return { argv: rest, inspectPort };
}

export function readConfig(allArgs: string[], env: NodeJS.ProcessEnv): RuntimeConfig {
  const { argv, inspectPort } = inspectOption(allArgs);
  if (argv.some((arg) => arg === "--token-secret" || arg.startsWith("--token-secret="))) {
    throw new UsageError(
      "--token-secret is not accepted: a secret on the command line is visible in `ps`. Set LOCAL_CALLBACK_TOKEN_SECRET, or use --data-dir to keep one.",
      false,
    );
  }
  const values = parseFlags(argv, {
    stage: { type: "string" },
    "http-port": { type: "string" },
    "ws-port": { type: "string" },
    "events-port": { type: "string" },
    "sfn-port": { type: "string" },
    "dynamodb-port": { type: "string" },
    "data-dir": { type: "string" },
    "step-delay": { type: "string" },
    json: { type: "boolean", default: false },
    watch: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) throw new HelpRequested();
  const ports = {} as Record<PortName, number>;
  for (const name of Object.keys(DEFAULT_PORTS) as PortName[]) {
    const flag = values[PORT_FLAGS[name]];
    const variable = PORT_VARIABLES[name];
    ports[name] = port(
      flag ?? env[variable] ?? String(DEFAULT_PORTS[name]),
      flag !== undefined ? `--${PORT_FLAGS[name]}` : variable,
    );
  }
  const stepDelay = values["step-delay"];
  const stepDelayMs = stepDelay === undefined ? undefined : parseDuration(stepDelay);
  if (stepDelayMs === null || (stepDelayMs !== undefined && stepDelayMs > 60_000)) {
    const hint = /^\s*\d+(\.\d+)?\s*$/.test(stepDelay!)
      ? ` (a unit is required: ${stepDelay!.trim()}ms or ${stepDelay!.trim()}s?)`
      : "";
    throw new UsageError(
      `--step-delay must be a duration up to 60s such as 800ms or 1.5s, got ${JSON.stringify(stepDelay)}${hint}`,
      false,
    );
  }
  // The tunables (the functions' limits, the stage's throttles) come from this environment, as the
  // stacks read them at deploy, through the same parser: a bad value stops the start instead of
  // failing every invocation, and the throttles enforced are the ones a deploy would set.
  let settings: Record<Tunables.TunableName, number>;
  let workflowType: Topology.WorkflowType;
  try {
    settings = Tunables.readTunables(env, Object.keys(Tunables.TUNABLES) as Tunables.TunableName[]);
    // ORDER_WORKFLOW_DRAINING is a deploy's matter: a local runtime runs one state machine.
    workflowType = Tunables.readChoices({ ...env, ORDER_WORKFLOW_DRAINING: undefined }).orderWorkflowType;
  } catch (error) {
    if (error instanceof Tunables.TunableError) throw new UsageError(error.message, false);
    throw error;
  }
  const runsTwice = env.LOCAL_EXPRESS_RUNS_TWICE;
  if (runsTwice !== undefined && runsTwice !== "" && runsTwice !== "true" && runsTwice !== "false") {
    throw new UsageError(`LOCAL_EXPRESS_RUNS_TWICE must be true or false, got ${JSON.stringify(runsTwice)}`, false);
  }
  // Only an Express execution runs at least once; asked of Standard it would be silently ignored.
  if (runsTwice === "true" && workflowType !== "EXPRESS") {
    throw new UsageError(
      `LOCAL_EXPRESS_RUNS_TWICE=true needs ORDER_WORKFLOW_TYPE=EXPRESS (it is ${workflowType}): Standard runs each execution exactly once`,
      false,
    );
  }
  const configuredSecret = env.LOCAL_CALLBACK_TOKEN_SECRET || undefined;
  return {
    stage:
      values.stage !== undefined
        ? parseStage(values.stage)
        : env.LOCAL_STAGE
          ? parseStage(env.LOCAL_STAGE, "LOCAL_STAGE")
          : "local",
    region: env.AWS_REGION ?? "us-east-1",
    ports,
    dataDir: values["data-dir"],
    json: values.json ?? false,
    ...(values.watch ? { watch: true } : {}),
    ...(inspectPort !== undefined ? { inspectPort } : {}),
    // Resolved by resolveTokenSecret once the data dir is known.
    tokenSecret: configuredSecret ?? "",
    tokenSecretGenerated: !configuredSecret,
    tokenSecretOrigin: configuredSecret ? "configuration" : undefined,
    throttles: Tunables.throttlesOf(settings),
    edgeRules: Tunables.edgeRulesOf(settings),
    workflowType,
    ...(runsTwice === "true" ? { expressRunsTwice: true } : {}),
    maxEnvironments: integerVariable(env, "LOCAL_MAX_ENVIRONMENTS", MAX_ENVIRONMENTS_RANGE, DEFAULT_MAX_ENVIRONMENTS),
    youngGenerationMb: integerVariable(
      env,
      "LOCAL_YOUNG_GENERATION_MB",
      YOUNG_GENERATION_MB_RANGE,
      DEFAULT_YOUNG_GENERATION_MB,
    ),
    ...(stepDelayMs ? { stepDelayMs } : {}),
  };
}
