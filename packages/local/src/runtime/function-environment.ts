/**
 * The environment each function gets, as the stacks set it, pointed at this machine. The one place
 * the local runtime builds it (to be replaced by core/topology's wiring contract when that lands).
 * Credentials are dummies: nothing local checks signatures, and real ones must never reach a local endpoint.
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
  return {
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    CLIENT_CALLBACK_TABLE: tables.clientCallbackTable,
    ORDERS_TABLE: tables.ordersTable,
    EVENT_BUS_NAME: tables.eventBusName,
    SST_APP: Topology.APP_NAME,
    SST_STAGE: options.stage,
    SST_Secret_value_CallbackTokenSecret: options.tokenSecret,
    POWERTOOLS_SERVICE_NAME: "order-callbacks",
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? (options.json ? "INFO" : "WARN"),
    ...(endpoints.websocketManagement ? { WEBSOCKET_MANAGEMENT_ENDPOINT: endpoints.websocketManagement } : {}),
    ...(endpoints.websocketUrl ? { WEBSOCKET_URL: endpoints.websocketUrl } : {}),
    ...(endpoints.events ? { AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.events } : {}),
    ...(endpoints.stepfunctions ? { AWS_ENDPOINT_URL_SFN: endpoints.stepfunctions } : {}),
    ...(endpoints.stateMachineArn ? { STATE_MACHINE_ARN: endpoints.stateMachineArn } : {}),
  };
}
