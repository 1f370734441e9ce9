/** The public shape of the local WebSocket gateway: what callers pass in and what they get back. */
import type { RouteThrottleSettings } from "../throttle";
import type { EdgeOptions } from "../edge-rate-limit";

/** Route key (`$connect`, `$disconnect`, `$default`, `sync`, ...) → name of the function serving it. */
export type RouteTable = Readonly<Record<string, string>>;

/**
 * Invokes a function synchronously, as API Gateway's Lambda proxy integration does. The gateway builds
 * the event; the Lambda side (see ../lambda) builds the context, with the function's own timeout.
 */
export type InvokeFunction = (functionName: string, event: object) => Promise<unknown>;

/** API Gateway's fixed WebSocket quotas; tests shorten the timeouts. */
export type GatewayLimits = {
  /** Largest message (all fragments together) and largest `@connections` payload. */
  maxMessageBytes: number;
  /** Close a connection that has seen no frame either way for this long. */
  idleTimeoutMs: number;
  /** Close every connection this long after it opened, busy or not. */
  maxLifetimeMs: number;
  /** A `@connections` post the client has not taken within this long cuts the connection (410). */
  postTimeoutMs: number;
  /** Bytes posted but not yet taken by the client past which the connection is cut (410). */
  maxBufferedBytes: number;
};

export const API_GATEWAY_LIMITS: GatewayLimits = {
  maxMessageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxLifetimeMs: 2 * 60 * 60 * 1000,
  postTimeoutMs: 5_000,
  maxBufferedBytes: 1024 * 1024,
};

/** One record per route invocation, the local stand-in for API Gateway's execution log. */
export type RouteLogRecord = {
  source: "websocket-gateway";
  route: string;
  functionName: string;
  connectionId: string;
  requestId: string;
  /** The handler's `statusCode`, 200 when it returned none, 500 when it threw, 429 when throttled (not invoked). */
  status: number;
  durationMs: number;
  orderId?: string;
  error?: string;
};

/**
 * A Lambda REQUEST authorizer on `$connect`, the only route a WebSocket API can authorize. The function
 * is invoked through `invoke`, like a route's; every identity source must be present and non-empty, or
 * the upgrade is answered 401 without invoking it.
 */
export type WebSocketAuthorizer = {
  functionName: string;
  /** `route.request.header.<Name>` or `route.request.querystring.<name>`, as in the API's authorizer. */
  identitySource: readonly string[];
};

export type WebSocketGatewayOptions = {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  stage: string;
  routes: RouteTable;
  /** Only `$request.body.<field>` expressions are supported, which is all this app uses. */
  routeSelectionExpression: string;
  invoke: InvokeFunction;
  authorizer?: WebSocketAuthorizer;
  /** For the authorizer's `methodArn`; the emulators' defaults unless given. */
  region?: string;
  accountId?: string;
  limits?: Partial<GatewayLimits>;
  /**
   * The stage's throttles: `default` for every route without its own, `routes` by route key
   * (`$connect` too). A throttled `$connect` is refused with HTTP 429, a throttled message answered
   * with a "Too Many Requests" frame (the connection stays open). None given: nothing is throttled.
   */
  throttles?: RouteThrottleSettings;
  /**
   * The edge in front of the stage (CloudFront and its WAF web ACL on AWS): per-address limits on the
   * upgrades, checked before anything else; a refused upgrade is answered the edge's refusal. It sees
   * only the upgrade, never a socket's frames, as WAF does; `@connections` does not go through it.
   */
  edge?: EdgeOptions;
  /**
   * Also listen here (0: any free port) for upgrades that go around the edge, as a stage's
   * execute-api URL or origin domain is reached on AWS: the same stage, without the edge's limits or
   * its origin headers. `originUrl` then says where.
   */
  originPort?: number;
  /** Told of every upgrade the edge refused (the local stand-in for WAF's log and metrics). */
  onEdgeRefusal?: (record: { sourceIp: string; rule: string; path: string }) => void;
  log?: (record: RouteLogRecord) => void;
  /** Test-only: assumptions about API Gateway broken on purpose (see GatewayFaults). */
  faults?: GatewayFaults;
};

/**
 * Test-only: API Gateway behaviours this emulator models, broken on purpose, so a test can show that
 * `npm run smoke` (packages/local/src/cli/ops/smoke.ts) fails naming the broken one. Read on every
 * use, so a test may change them between runs; `npm start` never sets them.
 */
export type GatewayFaults = {
  /** Route keys whose events lose the `$connect` authorizer's context (`requestContext.authorizer`). */
  withholdAuthorizerContext?: readonly string[];
  /** The status a `@connections` post to a closed connection is answered with, instead of 410. */
  goneStatus?: number;
};

export type WebSocketGateway = {
  /** With `originPort`: the stage's URL around the edge. */
  originUrl?: string;
  /** `ws://host:port/stage`, what clients connect to. */
  url: string;
  /** `http://host:port/stage`, the `endpoint` of an `ApiGatewayManagementApiClient`. */
  managementEndpoint: string;
  port: number;
  /** Ids of the connections that are open (past `$connect`, not yet closed). */
  connections(): string[];
  /** TCP connections the gateway holds now (open sockets, upgrades waiting on `$connect`, management calls). */
  tcpConnections(): Promise<number>;
  /**
   * Fault injection: cuts an open connection without running `$disconnect` (which API Gateway only
   * runs best-effort), so the next post to it answers 410. False if the id is not open.
   */
  dropConnection(connectionId: string): boolean;
  /** Closes every connection (running `$disconnect` for each) and the server. */
  close(): Promise<void>;
};
