/** The state one running gateway shares between its upgrade, message, close and management handlers. */
import type { Duplex } from "node:stream";
import type { EdgeOptions } from "../edge-rate-limit";
import type { ConnectAuthorizer } from "./authorizer";
import type { ConnectionRegistry } from "./connections";
import type { EventScope } from "./events";
import type { GatewayFaults, GatewayLimits, RouteTable } from "./options";
import type { RouteInvoker } from "./route-invocation";
import type { RouteSelector } from "./route-selection";

export type GatewayRuntime = {
  scope: EventScope;
  routes: RouteTable;
  limits: GatewayLimits;
  registry: ConnectionRegistry;
  invokeRoute: RouteInvoker;
  /** `$connect`'s Lambda authorizer, if the API has one. */
  authorizer?: ConnectAuthorizer;
  selectRoute: RouteSelector;
  /** The per-address limits in front of the upgrades (the edge on AWS); none: every upgrade reaches the stage. */
  edge?: EdgeOptions;
  onEdgeRefusal?: (record: { sourceIp: string; rule: string; path: string }) => void;
  /** Upgrade requests whose `$connect` is still running; `close()` destroys them. */
  pendingUpgrades: Set<Duplex>;
  /** Route invocations and open sockets; `close()` resolves once all of them have settled. */
  inFlight: Set<Promise<unknown>>;
  closing: boolean;
  /** Test-only (options.ts): held by reference, so a test may change it between runs. */
  faults?: GatewayFaults;
};

/** The event as the route gets it: without the authorizer's context where a test withholds it (GatewayFaults). */
export function withFaults<E extends { requestContext: { routeKey: string; authorizer?: unknown } }>(
  runtime: GatewayRuntime,
  event: E,
): E {
  if (runtime.faults?.withholdAuthorizerContext?.includes(event.requestContext.routeKey))
    delete event.requestContext.authorizer;
  return event;
}

/** Remembers `work` until it settles, so `close()` can wait for it. */
export function track<T>(runtime: GatewayRuntime, work: Promise<T>): Promise<T> {
  runtime.inFlight.add(work);
  const forget = () => runtime.inFlight.delete(work);
  work.then(forget, forget);
  return work;
}
