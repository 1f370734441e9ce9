/**
 * Configuration, read from the environment once per container and loudly when missing. The stack
 * sets these variables; `npm start` sets the same ones to its local endpoints.
 */
import { getNumberFromEnv, getStringFromEnv } from "@aws-lambda-powertools/commons/utils/env";
import { CallbackTable, Delivery } from "@awsomepets/core/index";

const once = <T>(read: () => T) => {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = read();
      done = true;
    }
    return value as T;
  };
};

export const ENV = {
  clientCallbackTable: "CLIENT_CALLBACK_TABLE",
  managementEndpoint: "WEBSOCKET_MANAGEMENT_ENDPOINT",
  historyRetentionSeconds: "HISTORY_RETENTION_SECONDS",
  fanoutConcurrency: "FANOUT_CONCURRENCY",
  ordersTable: "ORDERS_TABLE",
  stateMachineArn: "STATE_MACHINE_ARN",
  eventBusName: "EVENT_BUS_NAME",
  websocketUrl: "WEBSOCKET_URL",
} as const;

const required = (key: string) => once(() => getStringFromEnv({ key, errorMessage: `${key} is not set` }));

export const clientCallbackTable = once(() =>
  getStringFromEnv({ key: ENV.clientCallbackTable, errorMessage: `${ENV.clientCallbackTable} is not set` }),
);

/** The stage's `@connections` endpoint: `https://{api}.execute-api.{region}.amazonaws.com/{stage}`. */
export const managementEndpoint = once(() =>
  getStringFromEnv({ key: ENV.managementEndpoint, errorMessage: `${ENV.managementEndpoint} is not set` }),
);

export const historyRetentionSeconds = once(() =>
  getNumberFromEnv({ key: ENV.historyRetentionSeconds, defaultValue: CallbackTable.DEFAULT_HISTORY_RETENTION_SECONDS }),
);

export const fanoutConcurrency = once(() =>
  getNumberFromEnv({ key: ENV.fanoutConcurrency, defaultValue: Delivery.DEFAULT_CONCURRENCY }),
);

export const ordersTable = required(ENV.ordersTable);
export const stateMachineArn = required(ENV.stateMachineArn);
export const eventBusName = required(ENV.eventBusName);
/** The stage's WebSocket URL (`wss://…/stage`), the base of every `clientCallbackUrl`. */
export const websocketUrl = required(ENV.websocketUrl);
