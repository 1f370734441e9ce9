/**
 * A local stand-in for an API Gateway WebSocket API stage: one HTTP server that takes WebSocket upgrades
 * at `/{stage}` and serves the stage's `@connections` API, calling route functions through `invoke`.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { closeServer, listen } from "../http/index";
import { WebSocketServer } from "ws";
import { connectAuthorizer } from "./authorizer";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../defaults";
import { attachSocket, closeConnection, dropConnection } from "./connection-lifecycle";
import { GOING_AWAY } from "./connection-timers";
import { ConnectionRegistry } from "./connections";
import { newApiId } from "./ids";
import { handleManagementRequest } from "./management-api";
import { API_GATEWAY_LIMITS, type WebSocketGateway, type WebSocketGatewayOptions } from "./options";
import { createRouteInvoker } from "./route-invocation";
import { createRouteSelector } from "./route-selection";
import { routeThrottles } from "../throttle";
import { track, type GatewayRuntime } from "./runtime";
import { agreedSubprotocols, handleUpgrade } from "./upgrade";

export async function startWebSocketGateway(options: WebSocketGatewayOptions): Promise<WebSocketGateway> {
  const host = options.host ?? "127.0.0.1";
  const limits = { ...API_GATEWAY_LIMITS, ...options.limits };
  if (options.authorizer && !("$connect" in options.routes))
    throw new Error("A $connect authorizer needs a $connect route");
  const runtime: GatewayRuntime = {
    // Known once the server listens; nothing can connect before that.
    scope: { stage: options.stage, apiId: newApiId(), domainName: "" },
    routes: options.routes,
    limits,
    registry: new ConnectionRegistry(),
    invokeRoute: createRouteInvoker({
      routes: options.routes,
      invoke: options.invoke,
      admit: routeThrottles(options.throttles),
      log: options.log ?? (() => {}),
    }),
    ...(options.authorizer && {
      authorizer: connectAuthorizer(
        options.authorizer,
        options.region ?? DEFAULT_REGION,
        options.accountId ?? DEFAULT_ACCOUNT,
        options.stage,
      ),
    }),
    selectRoute: createRouteSelector(options.routeSelectionExpression, options.routes),
    ...(options.edge && { edge: options.edge }),
    ...(options.onEdgeRefusal && { onEdgeRefusal: options.onEdgeRefusal }),
    ...(options.faults && { faults: options.faults }),
    pendingUpgrades: new Set(),
    inFlight: new Set(),
    closing: false,
  };

  const webSockets = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    // `ws` closes with 1009 past this, as API Gateway does past its message quota.
    maxPayload: limits.maxMessageBytes,
    // API Gateway negotiates no extensions.
    perMessageDeflate: false,
    // Only a subprotocol `$connect` returned is accepted, as on API Gateway.
    handleProtocols: (_offered, request) => agreedSubprotocols.get(request) ?? false,
  });

  const server = createServer();
  const onUpgrade = (throughEdge: boolean) => (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const upgrade = handleUpgrade(
      runtime,
      webSockets,
      request,
      socket,
      head,
      (connection, webSocket) => attachSocket(runtime, connection, webSocket),
      throughEdge,
    );
    // Tracked so `close()` also waits for a `$connect` still running.
    track(runtime, upgrade).catch(() => socket.destroy());
  };
  server.on("upgrade", onUpgrade(true));
  // The stage reached around the edge (a stage's execute-api URL): upgrades only.
  const origin = options.originPort === undefined ? undefined : createServer();
  origin?.on("upgrade", onUpgrade(false));
  origin?.on("request", (_request, response) => response.writeHead(404).end());
  server.on("request", (request, response) => {
    handleManagementRequest(runtime, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });

  const port = await listen(server, options.port, "WebSocket gateway", host);
  runtime.scope.domainName = `${host}:${port}`;
  const originPort = origin ? await listen(origin, options.originPort!, "WebSocket gateway origin", host) : undefined;
  let closed: Promise<void> | undefined;

  return {
    ...(originPort !== undefined && { originUrl: `ws://${host}:${originPort}/${options.stage}` }),
    url: `ws://${host}:${port}/${options.stage}`,
    managementEndpoint: `http://${host}:${port}/${options.stage}`,
    port,
    connections: () => runtime.registry.open().map((connection) => connection.id),
    tcpConnections: () =>
      new Promise<number>((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    dropConnection: (connectionId) => dropConnection(runtime, connectionId),
    close: () =>
      (closed ??= closeGateway(runtime, server, webSockets).then(() => (origin ? closeServer(origin) : undefined))),
  };
}

/** Every socket is closed and every `$disconnect` has run before the server itself stops. */
async function closeGateway(runtime: GatewayRuntime, server: Server, webSockets: WebSocketServer) {
  runtime.closing = true;
  for (const socket of runtime.pendingUpgrades) socket.destroy();
  for (const connection of runtime.registry.open()) closeConnection(connection, GOING_AWAY);
  while (runtime.inFlight.size > 0) await Promise.allSettled([...runtime.inFlight]);
  await closeServer(server);
  await new Promise<void>((resolve) => webSockets.close(() => resolve()));
}
