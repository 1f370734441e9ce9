/**
 * Powertools Metrics (EMF) for the handlers that count things; a module of its own so that the
 * functions that count nothing do not bundle it. `npm start` and the tests set
 * `POWERTOOLS_METRICS_DISABLED`, so EMF lines never mix with their logs.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import * as Topology from "@awsomepets/core/platform/topology";
import type { Counter } from "./handler";

const byService = new Map<string, Metrics>();

/** A counter for one invocation's metrics, flushed by `lambdaHandler` when it ends. */
export function emfMetrics(service: string): Counter {
  let metrics = byService.get(service);
  if (!metrics) {
    metrics = new Metrics({ serviceName: service, namespace: Topology.METRICS_NAMESPACE });
    byService.set(service, metrics);
  }
  const emf = metrics;
  return {
    count: (name, value = 1, dimension) => {
      if (value <= 0) return;
      if (!dimension) return emf.addMetric(name, MetricUnit.Count, value);
      const single = emf.singleMetric();
      single.addDimension(...dimension);
      single.addMetric(name, MetricUnit.Count, value);
    },
    flush: () => {
      if (emf.hasStoredMetrics()) emf.publishStoredMetrics();
    },
  };
}
