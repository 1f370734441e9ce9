/** The local API Gateway WebSocket stage used by `npm start` and the integration tests. */
export { startWebSocketGateway } from "./server";
export { API_GATEWAY_LIMITS } from "./options";
export type {
  GatewayLimits,
  InvokeFunction,
  RouteLogRecord,
  RouteTable,
  WebSocketGateway,
  WebSocketGatewayOptions,
} from "./options";
export type { WebSocketProxyEvent, WebSocketRequestContext } from "./events";
export type { LambdaContext } from "../lambda-context";
