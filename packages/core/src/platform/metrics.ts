/**
 * Every metric a handler emits (Powertools EMF, namespace `Topology.METRICS_NAMESPACE`, under the
 * `service` dimension Powertools adds), with who emits it and what it counts. The handlers' `count`
 * takes only these names, the stack's alarm takes its own from here, and docs/deploy-and-operate.md
 * ("Metrics") is checked against this list by packages/core/test/platform/metrics.test.ts.
 */
export const METRICS = {
  Connected: { by: "OrderWSConnectFunction", counts: "sockets `$connect` admitted and subscribed" },
  ConnectsRefused: {
    by: "OrderWSConnectFunction",
    counts: "sockets `$connect` refused (400/401/403/429), under a `reason` dimension (the refusal)",
  },
  SyncsServed: { by: "OrderWSPendingFunction", counts: "messages answered with the statuses after the cursor" },
  SyncsThrottled: { by: "OrderWSPendingFunction", counts: "messages refused by the socket's rate limit" },
  StatusesRecorded: { by: "OrderWSCallbackFunction", counts: "statuses new to the order's history (not replays)" },
  StatusesDelivered: { by: "OrderWSCallbackFunction", counts: "statuses posted to at least one connection" },
  StatusesPending: { by: "OrderWSCallbackFunction", counts: "statuses no connection took: pending" },
  ConnectionsGone: { by: "OrderWSCallbackFunction", counts: "connections `@connections` called gone (410), forgotten" },
  PostsRejected: {
    by: "OrderWSCallbackFunction, OrderWSPendingFunction",
    counts: "posts `@connections` refused (403); alarmed (`PostsRejectedAlarm`)",
  },
  InvalidEvents: {
    by: "OrderWSCallbackFunction",
    counts: "status events the schema refused (retried, then dead-lettered)",
  },
} as const satisfies Record<string, { by: string; counts: string }>;

/** A metric's name: what a handler may `count`. */
export type Metric = keyof typeof METRICS;

/** Alarmed by stacks/operations.ts (its logical ID is `${POSTS_REJECTED}Alarm`). */
export const POSTS_REJECTED = "PostsRejected" satisfies Metric;
