/** Picks the route of an incoming message the way API Gateway evaluates a route selection expression. */
import type { RouteTable } from "./options";

const BODY_FIELD = /^\$request\.body\.([A-Za-z0-9_$]+(?:\.[A-Za-z0-9_$]+)*)$/;

/** Keys a message can never select: they belong to the connection's life cycle. */
const LIFECYCLE_ROUTES = new Set(["$connect", "$disconnect"]);

/** `$default` when the body is not JSON, the field is not a string, or no route has that key. */
export type RouteSelector = (body: string | undefined) => string | undefined;

export function createRouteSelector(expression: string, routes: RouteTable): RouteSelector {
  const match = BODY_FIELD.exec(expression);
  if (!match) throw new Error(`Unsupported route selection expression ${expression}: only $request.body.<field> is`);
  const path = match[1]!.split(".");
  const fallback = Object.hasOwn(routes, "$default") ? "$default" : undefined;

  return (body) => {
    const selected = body === undefined ? undefined : fieldOf(body, path);
    if (typeof selected === "string" && Object.hasOwn(routes, selected) && !LIFECYCLE_ROUTES.has(selected))
      return selected;
    return fallback;
  };
}

function fieldOf(body: string, path: string[]): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}
