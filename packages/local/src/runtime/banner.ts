/** What `npm start` prints once everything is ready: every URL and a few things to paste. */
import type { RuntimeConfig } from "./config";
import type { RuntimeState } from "./state-file";

const TOKEN_SECRET_ORIGINS = {
  configuration: "from LOCAL_CALLBACK_TOKEN_SECRET",
  "data-dir": "kept in the data dir: links survive restarts",
  generated:
    "generated for this run: links stop working after a restart (use --data-dir or LOCAL_CALLBACK_TOKEN_SECRET)",
} as const;

/**
 * The banner: text for a person, or with `--json` one JSON line like the log's (stdout then holds
 * JSON lines only, for `npm start -- --json | jq`). Never the token secret itself.
 */
export function banner(state: RuntimeState, config: RuntimeConfig) {
  return config.json ? jsonBanner(state, config) : textBanner(state, config);
}

function tokenSecretOrigin(config: RuntimeConfig) {
  return config.tokenSecretOrigin ?? (config.tokenSecretGenerated ? "generated" : "configuration");
}

function jsonBanner(state: RuntimeState, config: RuntimeConfig) {
  const { tokenSecret: _secret, ...shown } = state;
  const record = {
    time: new Date().toISOString(),
    component: "runtime",
    message: "endpoints",
    ...shown,
    tokenSecretOrigin: tokenSecretOrigin(config),
    dataDir: config.dataDir ?? null,
    ...(config.stepDelayMs ? { stepDelayMs: config.stepDelayMs } : {}),
  };
  return `${JSON.stringify(record)}\n`;
}

function textBanner(state: RuntimeState, config: RuntimeConfig) {
  const orderId = "3f0c6a4e-8b1d-4c2a-9e57-1d2b3c4d5e6f";
  const detail = JSON.stringify({ orderId, status: "placed", occurredAt: "2026-11-26T10:00:00.000Z" });
  const entries = JSON.stringify([
    {
      EventBusName: state.eventBusName,
      Source: "awsomepets.orders",
      DetailType: "Order Status Changed",
      Detail: detail,
    },
  ]);
  return [
    "",
    `AWSomePets order callbacks — running locally (stage ${state.stage})`,
    "",
    `  Order tracker ${state.endpoints.http}/   (the shop page: place an order and watch it)`,
    `  HTTP          ${state.endpoints.http}   (GET /health)`,
    `  WebSocket     ${state.endpoints.websocket}?orderId=…&token=…`,
    `  @connections  ${state.endpoints.management}/@connections/{connectionId}`,
    `  Order API     ${state.endpoints.http}/orders   (POST; GET /orders/{orderId}, GET /catalogue)`,
    `  EventBridge   ${state.endpoints.events}   bus ${state.eventBusName}`,
    `  Step Funcs    ${state.endpoints.stepfunctions}   (the order saga)`,
    `  DynamoDB      ${state.endpoints.dynamodb}   tables ${state.tables.join(", ")}`,
    `  Token secret  ${TOKEN_SECRET_ORIGINS[tokenSecretOrigin(config)]}`,
    config.dataDir
      ? `  State         kept in ${config.dataDir} (tables, token secret, executions, pending deliveries)`
      : "  State         in memory only: lost when this stops (use --data-dir <dir> to keep it)",
    ...(config.stepDelayMs ? [`  Step delay    ${config.stepDelayMs} ms before each saga step`] : []),
    "",
    "Try it, in another terminal:",
    `  npm run callback-url -- --order-id ${orderId}      # a clientCallbackUrl for this run`,
    `  npm run watch-order -- --order-id ${orderId}       # connect, sync and print every status`,
    `  npm run publish-status -- --order-id ${orderId} --status placed`,
    `  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \\`,
    `    aws events put-events --endpoint-url ${state.endpoints.events} --region ${state.region} --entries '${entries}'`,
    "",
    "Ctrl-C stops everything.",
    "",
    "",
  ].join("\n");
}
