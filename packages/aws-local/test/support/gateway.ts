/**
 * Shared fixtures for the gateway tests: a gateway on a random port whose route functions are fakes that
 * record every call, real `ws` clients, and the real `ApiGatewayManagementApiClient` pointed at the gateway.
 * Everything started here is stopped when the test that started it finishes.
 */
import { ApiGatewayManagementApiClient } from "@aws-sdk/client-apigatewaymanagementapi";
import { ROUTE_SELECTION_EXPRESSION, WEBSOCKET_ROUTES } from "./fixtures";
import { onTestFinished } from "vitest";
import WebSocket from "ws";
import {
  startWebSocketGateway,
  type GatewayLimits,
  type RouteLogRecord,
  type RouteTable,
} from "../../src/gateway/index";
import type { RouteThrottleSettings } from "../../src/throttle";

export const STAGE = "test";
export const USER_AGENT = "gateway-test-client/1.0";

export type RecordedCall = { functionName: string; event: any };
export type FakeFunction = (event: any) => unknown;

export async function startTestGateway(
  setup: {
    functions?: Record<string, FakeFunction>;
    routes?: RouteTable;
    limits?: Partial<GatewayLimits>;
    throttles?: RouteThrottleSettings;
  } = {},
) {
  const calls: RecordedCall[] = [];
  const logs: RouteLogRecord[] = [];
  const gateway = await startWebSocketGateway({
    port: 0,
    stage: STAGE,
    routes: setup.routes ?? WEBSOCKET_ROUTES,
    routeSelectionExpression: ROUTE_SELECTION_EXPRESSION,
    limits: setup.limits,
    throttles: setup.throttles,
    log: (record) => logs.push(record),
    invoke: async (functionName, event) => {
      calls.push({ functionName, event });
      const fake = setup.functions?.[functionName];
      return fake ? fake(event) : { statusCode: 200 };
    },
  });
  const management = managementClient(gateway.managementEndpoint);
  onTestFinished(async () => {
    management.destroy();
    await gateway.close();
  });
  const callsTo = (routeKey: string) => calls.filter((call) => call.event.requestContext.routeKey === routeKey);
  return { gateway, calls, callsTo, logs, management };
}

export function managementClient(endpoint: string) {
  return new ApiGatewayManagementApiClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
}

export type TestClient = {
  socket: WebSocket;
  /** Frames received so far, text as strings and binary as Buffers. */
  frames: Array<string | Buffer>;
  nextFrame(): Promise<string | Buffer>;
  closed: Promise<{ code: number; reason: string }>;
};

/** A client that has completed the handshake; rejects if the gateway refuses it. */
export function openClient(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
  const socket = new WebSocket(url, { headers: { "User-Agent": USER_AGENT, ...headers } });
  onTestFinished(() => socket.terminate());
  const frames: Array<string | Buffer> = [];
  const waiting: Array<(frame: string | Buffer) => void> = [];
  socket.on("message", (data, isBinary) => {
    const frame = isBinary ? (data as Buffer) : data.toString();
    frames.push(frame);
    waiting.shift()?.(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    socket.once("open", () =>
      resolve({
        socket,
        frames,
        closed,
        nextFrame: () => new Promise((deliver) => waiting.push(deliver)),
      }),
    );
    socket.once("error", reject);
  });
}

/** The HTTP response a refused handshake gets; rejects if the socket opens instead. */
export function refusedHandshake(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ statusCode: number; body: string; opened: () => boolean }> {
  const socket = new WebSocket(url, { headers });
  onTestFinished(() => socket.terminate());
  let opened = false;
  socket.on("open", () => (opened = true));
  socket.on("error", () => {});
  return new Promise((resolve, reject) => {
    socket.once("open", () => reject(new Error("the handshake was accepted")));
    socket.once("unexpected-response", (request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        request.destroy();
        resolve({ statusCode: response.statusCode ?? 0, body, opened: () => opened });
      });
    });
  });
}

/** The id the gateway gave the most recent connection, read from its `$connect` event. */
export function lastConnectionId(calls: RecordedCall[]): string {
  const connect = calls.filter((call) => call.event.requestContext.eventType === "CONNECT").at(-1);
  if (!connect) throw new Error("no $connect call recorded");
  return connect.event.requestContext.connectionId;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
