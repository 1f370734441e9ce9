/**
 * `@awsomepets/client`: watch an order's statuses over its clientCallbackUrl (`watchOrder`) and call
 * the order API (`placeOrder`, `getOrder`, `getCatalogue`), in a browser or Node ≥ 22, with no
 * dependency. The package's one entry: every public name is here (packages/client/README.md).
 */
export {
  DOCUMENTED_REFUSALS,
  type FieldError,
  type GetCatalogueResult,
  type GetOrderResult,
  getCatalogue,
  getOrder,
  type NetworkFailure,
  newIdempotencyKey,
  type Order,
  type OrderAccepted,
  type OrderRequest,
  type Pet,
  type PlaceOrderResult,
  type Problem,
  placeOrder,
  type Refused,
  type RequestOptions,
  type Unexpected,
} from "./order-api.js";
export {
  type ConnectionState,
  linkExpiresAt,
  type OrderClient,
  type OrderClientEvents,
  type OrderClientOptions,
  type OrderSocket,
  reconnectWhenOnline,
  watchOrder,
} from "./order-client.js";
export {
  GATEWAY_MESSAGES,
  MAX_SEQ,
  OrderTimeline,
  readServerFrame,
  SYNC_ANSWER_TIMEOUT_MS,
  type TimelineUpdate,
} from "./order-timeline.js";
export type {
  ErrorCode,
  ErrorFrame,
  GatewayFrame,
  HistoryRecord,
  ReceivedFrame,
  ServerFrame,
  Status,
  StatusFrame,
  SyncedFrame,
  SyncRequest,
} from "./protocol.js";
export { byOccurrence, isTerminal, TERMINAL_STATUSES } from "./protocol.js";
export { RECONNECT_BASE_MS, RECONNECT_MAX_MS, reconnectDelay } from "./reconnect-delay.js";
