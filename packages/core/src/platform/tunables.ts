/**
 * Every number an operator may set at deploy, with its default, its allowed range and its unit, and
 * the one check that reads them (`parseSpec`): the stacks at synth call `parseTunable` (a bad value
 * stops the deploy), the functions at run time `parseRuntimeTunable` (`packages/functions/src/lib/env.ts`). The variable
 * names come from `Topology.ENV` (what a function reads) and `Topology.DEPLOY_ENV` (what only the
 * stacks read). Every default is declared in `TUNABLES`: the six a function reads come from
 * ./runtime-tunables (which a Lambda bundle holds alone), the rest are here; the modules that use one
 * read it from there.
 */
import {
  DEFAULT_FANOUT_CONCURRENCY,
  parseSpec,
  RUNTIME_TUNABLES,
  TunableError,
  type TunableSpec,
} from "./runtime-tunables";
import {
  API_THROTTLES,
  BILL_GUARD,
  billGuardThreshold,
  DEPLOY_ENV,
  EDGE_RULES,
  EXPECTED_ORDERS_PER_SECOND,
  WAF_MAX_RATE_LIMIT,
  WAF_MIN_RATE_LIMIT,
  WORKFLOW_TYPES,
  type EdgeRuleName,
  type Throttle,
  type WorkflowType,
} from "./topology";

export { DEFAULT_FANOUT_CONCURRENCY, TunableError, type TunableSpec };

/** API Gateway's default account-level limits per region: a stage's throttle is bounded by them anyway. */
export const ACCOUNT_RATE_LIMIT = 10_000;
export const ACCOUNT_BURST_LIMIT = 5_000;

const throttle = (rate: string, burst: string, defaults: { rateLimit: number; burstLimit: number }, unit: string) =>
  ({
    rate: {
      variable: rate,
      defaultValue: defaults.rateLimit,
      min: 1,
      max: ACCOUNT_RATE_LIMIT,
      unit: `${unit} per second`,
    },
    burst: { variable: burst, defaultValue: defaults.burstLimit, min: 1, max: ACCOUNT_BURST_LIMIT, unit },
  }) as const;
const http = throttle(DEPLOY_ENV.httpThrottleRate, DEPLOY_ENV.httpThrottleBurst, API_THROTTLES.http, "requests");
const messages = throttle(
  DEPLOY_ENV.webSocketThrottleRate,
  DEPLOY_ENV.webSocketThrottleBurst,
  API_THROTTLES.webSocket.default,
  "messages",
);
const connects = throttle(
  DEPLOY_ENV.webSocketConnectThrottleRate,
  DEPLOY_ENV.webSocketConnectThrottleBurst,
  API_THROTTLES.webSocket.routes.$connect,
  "connects",
);

const edgeRule = (variable: string, rule: EdgeRuleName, what: string) =>
  ({
    variable,
    defaultValue: EDGE_RULES[rule].limit,
    min: WAF_MIN_RATE_LIMIT,
    max: WAF_MAX_RATE_LIMIT,
    unit: `${what} per source address per ${EDGE_RULES[rule].windowSeconds} s`,
    reason: `AWS WAF's rate-based rules take a limit from ${WAF_MIN_RATE_LIMIT} to ${WAF_MAX_RATE_LIMIT.toLocaleString("en-US")}`,
  }) as const;

export const TUNABLES = {
  ...RUNTIME_TUNABLES,
  httpThrottleRate: http.rate,
  httpThrottleBurst: http.burst,
  webSocketThrottleRate: messages.rate,
  webSocketThrottleBurst: messages.burst,
  webSocketConnectThrottleRate: connects.rate,
  webSocketConnectThrottleBurst: connects.burst,
  orderEventsArchiveDays: {
    variable: DEPLOY_ENV.orderEventsArchiveDays,
    defaultValue: 30,
    min: 1,
    max: 3_650,
    unit: "days",
  },
  edgeOrdersPerAddress: edgeRule(DEPLOY_ENV.edgeOrdersPerAddress, "OrdersPerAddress", "POST /orders"),
  edgeConnectsPerAddress: edgeRule(DEPLOY_ENV.edgeConnectsPerAddress, "ConnectsPerAddress", "WebSocket upgrades"),
  edgeRequestsPerAddress: edgeRule(DEPLOY_ENV.edgeRequestsPerAddress, "RequestsPerAddress", "requests"),
  /**
   * Default: the stage's expected orders/s (`Topology.EXPECTED_ORDERS_PER_SECOND`) over 5 minutes ×
   * headroom; `npm run capacity -- --orders-per-second <n>` prints the figure for another load.
   */
  billGuardExecutions: {
    variable: DEPLOY_ENV.billGuardExecutions,
    defaultValue: billGuardThreshold(EXPECTED_ORDERS_PER_SECOND),
    min: 1,
    max: 100_000_000,
    unit: `Step Functions executions started per ${BILL_GUARD.periodSeconds} s`,
  },
} as const satisfies Record<string, TunableSpec>;
export type TunableName = keyof typeof TUNABLES;

/** The value of one tunable: its default when unset or empty, else `raw` if it is a whole number in range. */
export function parseTunable(name: TunableName, raw: string | undefined): number {
  return parseSpec(TUNABLES[name], raw);
}

/** Several tunables from an environment at once; a TunableError lists every bad one, not only the first. */
export function readTunables<N extends TunableName>(
  env: Record<string, string | undefined>,
  names: readonly N[],
): Record<N, number> {
  const values = {} as Record<N, number>;
  const problems: string[] = [];
  for (const name of names) {
    try {
      values[name] = parseTunable(name, env[TUNABLES[name].variable]);
    } catch (error) {
      if (!(error instanceof TunableError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length) throw new TunableError(problems);
  return values;
}

/** A setting that names one of a few values (not a number); parsed by `parseChoice`, with the same kind of error. */
export type ChoiceSpec<V extends string = string> = {
  variable: string;
  values: readonly V[];
  defaultValue: V;
  reason: string;
};

/**
 * The order workflow's type when `ORDER_WORKFLOW_TYPE` is unset: the one that wins once every
 * guarantee holds on both (docs/decisions/express-order-workflow.md).
 */
export const DEFAULT_ORDER_WORKFLOW_TYPE: WorkflowType = "EXPRESS";

export const CHOICES = {
  orderWorkflowType: {
    variable: DEPLOY_ENV.orderWorkflowType,
    values: WORKFLOW_TYPES,
    defaultValue: DEFAULT_ORDER_WORKFLOW_TYPE,
    reason: "the order workflow's Step Functions type (docs/deploy-and-operate.md, \"The order workflow's type\")",
  },
  /** `NONE`: no previous type is kept. */
  orderWorkflowDraining: {
    variable: DEPLOY_ENV.orderWorkflowDraining,
    values: ["NONE", ...WORKFLOW_TYPES],
    defaultValue: "NONE",
    reason: "the previous type's state machine, kept while its executions in flight end during a switch of type",
  },
} as const satisfies Record<string, ChoiceSpec>;
export type ChoiceName = keyof typeof CHOICES;
export type Choices = { orderWorkflowType: WorkflowType; orderWorkflowDraining: "NONE" | WorkflowType };

/**
 * The value of one choice: its default when unset or empty, else `raw` if it is one of its values (exactly, in
 * capitals).
 */
export function parseChoice<N extends ChoiceName>(name: N, raw: string | undefined): Choices[N] {
  const spec: ChoiceSpec = CHOICES[name];
  if (raw === undefined || raw === "") return spec.defaultValue as Choices[N];
  if (spec.values.includes(raw)) return raw as Choices[N];
  throw new TunableError([
    `${spec.variable}="${raw}" is not allowed: it must be one of ${spec.values.join(", ")} (default ${spec.defaultValue}); ${spec.reason}`,
  ]);
}

/**
 * Every choice from an environment at once (a TunableError lists every bad one), and the rule
 * between them: the type being drained is the other type, never the one deployed.
 */
export function readChoices(env: Record<string, string | undefined>): Choices {
  const problems: string[] = [];
  const read = <N extends ChoiceName>(name: N): Choices[N] | undefined => {
    try {
      return parseChoice(name, env[CHOICES[name].variable]);
    } catch (error) {
      if (!(error instanceof TunableError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const orderWorkflowType = read("orderWorkflowType");
  const orderWorkflowDraining = read("orderWorkflowDraining");
  if (orderWorkflowType && orderWorkflowDraining === orderWorkflowType) {
    problems.push(
      `${CHOICES.orderWorkflowDraining.variable}="${orderWorkflowDraining}" is not allowed: it names the type being deployed (${CHOICES.orderWorkflowType.variable}); drain the previous type, or leave it unset`,
    );
  }
  if (problems.length) throw new TunableError(problems);
  return { orderWorkflowType: orderWorkflowType!, orderWorkflowDraining: orderWorkflowDraining! };
}

/** The stages' and routes' throttles from the tunables: what the stacks deploy and `npm start` enforces. */
export function throttlesOf(settings: Record<TunableName, number>) {
  const throttle = (rateLimit: number, burstLimit: number): Throttle => ({ rateLimit, burstLimit });
  return {
    http: throttle(settings.httpThrottleRate, settings.httpThrottleBurst),
    webSocket: {
      default: throttle(settings.webSocketThrottleRate, settings.webSocketThrottleBurst),
      routes: { $connect: throttle(settings.webSocketConnectThrottleRate, settings.webSocketConnectThrottleBurst) },
    },
  };
}

/** The edge's rate-based rules from the tunables: what the web ACL holds and `npm start` enforces. */
export function edgeRulesOf(
  settings: Pick<
    Record<TunableName, number>,
    "edgeOrdersPerAddress" | "edgeConnectsPerAddress" | "edgeRequestsPerAddress"
  >,
) {
  return {
    OrdersPerAddress: { ...EDGE_RULES.OrdersPerAddress, limit: settings.edgeOrdersPerAddress },
    ConnectsPerAddress: { ...EDGE_RULES.ConnectsPerAddress, limit: settings.edgeConnectsPerAddress },
    RequestsPerAddress: { ...EDGE_RULES.RequestsPerAddress, limit: settings.edgeRequestsPerAddress },
  } satisfies Record<EdgeRuleName, unknown>;
}
export type EdgeRules = ReturnType<typeof edgeRulesOf>;
