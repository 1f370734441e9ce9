/**
 * The environment each function gets, pointed at this machine: core's wiring contract
 * (`Topology.WIRING`, the same one the stacks build from) with local values, plus what the AWS SDK
 * and SST read. The handlers run in this process, so it is this process's environment: the union of
 * every function's. Credentials are dummies: nothing local checks signatures, and real ones must
 * never reach a local endpoint.
 */
import { Topology } from "@awsomepets/core/index";

export type LocalEndpoints = {
  dynamodb: string;
  events?: string;
  stepfunctions?: string;
  websocketManagement?: string;
  websocketUrl?: string;
  stateMachineArn?: string;
};

export function functionEnvironment(options: {
  region: string;
  stage: string;
  tokenSecret: string;
  json: boolean;
  tables: { clientCallbackTable: string; ordersTable: string; eventBusName: string };
  endpoints: LocalEndpoints;
}): Record<string, string> {
  const { endpoints, tables } = options;
  const settings: Partial<Record<Topology.Setting, string>> = {
    clientCallbackTable: tables.clientCallbackTable,
    ordersTable: tables.ordersTable,
    eventBusName: tables.eventBusName,
    managementEndpoint: endpoints.websocketManagement,
    websocketUrl: endpoints.websocketUrl,
    stateMachineArn: endpoints.stateMachineArn,
  };
  // Once every endpoint is up, build each function's environment through the contract, which names
  // any setting a function needs and this runtime forgot; before that, only what is known so far.
  const allKnown = Object.values(settings).every((value) => value !== undefined);
  const app = allKnown
    ? Object.assign({}, ...Object.keys(Topology.WIRING).map((name) => Topology.environmentOf(name as Topology.FunctionName, settings)))
    : Object.fromEntries(
        Object.entries(settings)
          .filter(([, value]) => value !== undefined)
          .map(([setting, value]) => [Topology.ENV[setting as Topology.Setting], value]),
      );
  return {
    ...app,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    ...(endpoints.events ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events } : {}),
    ...(endpoints.stepfunctions ? { AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions } : {}),
    SST_APP: Topology.APP_NAME,
    SST_STAGE: options.stage,
    SST_Secret_value_CallbackTokenSecret: options.tokenSecret,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (options.json ? "INFO" : "WARN"),
    // The Logger then writes through the global console, where the runtime turns it into its own lines (handler-logs.ts).
    POWERTOOLS_DEV: "true",
    // CloudWatch reads metrics from EMF log lines; locally they would only clutter the log.
    POWERTOOLS_METRICS_DISABLED: "true",
  };
}
