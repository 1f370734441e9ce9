/**
 * The one wrapper every handler goes through: a Powertools Logger and Metrics for the function's
 * service (from core's wiring contract), the Lambda context in every log line (request id, cold
 * start), metrics flushed as EMF after each invocation, and an unexpected error logged with context
 * before the handler's own mapping decides what the caller sees. `npm start` and the tests set
 * `POWERTOOLS_METRICS_DISABLED`, so EMF lines never mix with their logs.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Context } from "aws-lambda";
import { Topology } from "@awsomepets/core/index";

export type Tools = {
  logger: Logger;
  /** Adds `value` (1 by default) to a count metric of this invocation, optionally under one dimension. */
  count: (name: string, value?: number, dimension?: [name: string, value: string]) => void;
};

/** Loggers and metrics per service, shared by the functions of one container (one locally). */
const tools = new Map<string, { logger: Logger; metrics: Metrics }>();

function toolsFor(service: string) {
  let found = tools.get(service);
  if (!found) {
    found = {
      logger: new Logger({ serviceName: service }),
      metrics: new Metrics({ serviceName: service, namespace: Topology.METRICS_NAMESPACE }),
    };
    tools.set(service, found);
  }
  return found;
}

export function lambdaHandler<R>(
  name: Topology.FunctionName,
  run: (event: unknown, tools: Tools) => Promise<R>,
): (event: unknown, context?: Context) => Promise<R> {
  const { logger, metrics } = toolsFor(Topology.WIRING[name].service);
  const count: Tools["count"] = (metric, value = 1, dimension) => {
    if (value <= 0) return;
    if (!dimension) return metrics.addMetric(metric, MetricUnit.Count, value);
    const single = metrics.singleMetric();
    single.addDimension(...dimension);
    single.addMetric(metric, MetricUnit.Count, value);
  };
  return async (event, context) => {
    logger.resetKeys?.();
    if (context) logger.addContext(context);
    logger.appendKeys({ function: name });
    try {
      return await run(event, { logger, count });
    } catch (error) {
      logger.error("Unhandled error", { error });
      throw error;
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
