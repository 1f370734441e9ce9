/**
 * The environment of one function, pointed at this machine: core's wiring contract
 * (`Topology.WIRING`, the same one the stacks build from) with local values — only the settings that
 * function reads, as each Lambda gets only its own — plus what the AWS SDK and SST read. Each
 * execution environment (a worker thread, see lambda.ts) gets it as its `process.env`; this process's
 * own environment is not the functions'. Credentials are dummies: nothing local checks signatures,
 * and real ones must never reach a local endpoint.
 */
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as Topology from "@awsomepets/core/platform/topology";

export type LocalEndpoints = {
  dynamodb: string;
  events: string;
  stepfunctions: string;
  websocketManagement: string;
  websocketUrl: string;
  stateMachineArn: string;
};

export type EnvironmentOptions = {
  region: string;
  stage: string;
  tokenSecret: string;
  /** What the local edge adds to every request it admits (edge.ts), as CloudFront does on AWS. */
  originVerify: string;
  json: boolean;
  tables: { clientCallbackTable: string; ordersTable: string; eventBusName: string };
  endpoints: LocalEndpoints;
  /** Settings changed since start (tests point a function elsewhere); win over everything else. */
  overrides?: Partial<Record<Topology.Setting, string>>;
  /** Where the tunables come from, as for `sst deploy`: the environment `npm start` runs in. */
  host?: NodeJS.ProcessEnv;
};

/** Tunables (`OPTIONAL_SETTINGS`) set in the host's environment, as the stacks read them at deploy. */
function tunablesFrom(host: NodeJS.ProcessEnv) {
  const values: Partial<Record<Topology.Setting, string>> = {};
  for (const setting of Topology.OPTIONAL_SETTINGS) {
    const value = host[Topology.ENV[setting]];
    if (value !== undefined && value !== "") values[setting] = value;
  }
  return values;
}

export function functionEnvironment(name: Topology.FunctionName, options: EnvironmentOptions): Record<string, string> {
  const { endpoints, tables } = options;
  const host = options.host ?? process.env;
  const settings: Partial<Record<Topology.Setting, string>> = {
    clientCallbackTable: tables.clientCallbackTable,
    ordersTable: tables.ordersTable,
    eventBusName: tables.eventBusName,
    managementEndpoint: endpoints.websocketManagement,
    websocketUrl: endpoints.websocketUrl,
    stateMachineArn: endpoints.stateMachineArn,
    // As `sst deploy` sets them: the stage bound into tokens, and DISPOSABLE_STAGE read the same way
    // (locally the secret is given as a value, never the SSM fallback, so it changes nothing else).
    stage: options.stage,
    stageKeepsData: String(Topology.stageKeepsData(host)),
    originVerify: options.originVerify,
    ...tunablesFrom(host),
    ...options.overrides,
  };
  return {
    // Throws naming the setting if this runtime forgot one the function needs.
    ...Topology.environmentOf(name, settings),
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events,
    AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions,
    SST_APP: Topology.APP_NAME,
    SST_STAGE: options.stage,
    [`SST_Secret_value_${CallbackToken.SECRET_NAMES.current}`]: options.tokenSecret,
    POWERTOOLS_LOG_LEVEL: host.POWERTOOLS_LOG_LEVEL ?? (options.json ? "INFO" : "WARN"),
    // The Logger then writes through the global console, which the environment hands to the runtime's log
    // (handler-logs.ts).
    POWERTOOLS_DEV: "true",
    // CloudWatch reads metrics from EMF log lines; locally they would only clutter the log.
    POWERTOOLS_METRICS_DISABLED: "true",
  };
}

/** Every function's environment in one: for handlers run in this process instead (bench's `overrideHandlers`). */
export function unionEnvironment(options: EnvironmentOptions): Record<string, string> {
  return Object.assign(
    {},
    ...Object.keys(Topology.FUNCTIONS).map((name) => functionEnvironment(name as Topology.FunctionName, options)),
  );
}
