/** Matches `METHOD /path` against the API's route keys (`GET /orders/{orderId}`), like HTTP API does. */
export type RouteMatch = { routeKey: string; functionName: string; pathParameters?: Record<string, string> };

export function createRouter(routes: Readonly<Record<string, string>>) {
  const compiled = Object.entries(routes).map(([routeKey, functionName]) => {
    const [method, pattern] = routeKey.split(" ") as [string, string];
    const names: string[] = [];
    const regex = new RegExp(
      `^${pattern.replace(/\{(\w+)\}/g, (_m, name: string) => {
        names.push(name);
        return "([^/]+)";
      })}$`,
    );
    return { method, regex, names, routeKey, functionName };
  });
  return (method: string, path: string): RouteMatch | undefined => {
    for (const route of compiled) {
      if (route.method !== method) continue;
      const match = route.regex.exec(path);
      if (!match) continue;
      if (route.names.length === 0) return { routeKey: route.routeKey, functionName: route.functionName };
      const pathParameters = Object.fromEntries(
        route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]),
      );
      return { routeKey: route.routeKey, functionName: route.functionName, pathParameters };
    }
    return undefined;
  };
}
