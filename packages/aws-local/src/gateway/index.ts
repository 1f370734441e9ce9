/** The local API Gateway WebSocket stage used by `npm start` and the integration tests. */
export { startWebSocketGateway } from "./server";
export { API_GATEWAY_LIMITS } from "./options";
export type {
  GatewayFaults,
  GatewayLimits,
  InvokeFunction,
  RouteLogRecord,
  RouteTable,
  WebSocketGateway,
  WebSocketAuthorizer,
  WebSocketGatewayOptions,
} from "./options";
export type {
  AuthorizerContext,
  WebSocketAuthorizerEvent,
  WebSocketProxyEvent,
  WebSocketRequestContext,
} from "./events";
export type { LambdaContext } from "../lambda-context";
