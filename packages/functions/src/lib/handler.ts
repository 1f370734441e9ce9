/**
 * The one wrapper every handler goes through: a Powertools Logger for the function's service (from
 * core's wiring contract), the Lambda context in every log line (request id, cold start), an
 * unexpected error logged with context before the handler's own mapping decides what the caller
 * sees, and — for handlers that count things (`{ metrics: emfMetrics }`, ./metrics) — metrics
 * flushed after each invocation. Each invocation's `signal` aborts `DEADLINE_RESERVE_MS` before
 * Lambda would kill it: handlers pass it to their AWS calls (`{ signal }`), so that a slow API fails
 * a call rather than the whole invocation.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import * as Deadline from "@awsomepets/core/platform/deadline";
import type * as Metrics from "@awsomepets/core/platform/metrics";
import * as Topology from "@awsomepets/core/platform/topology";

export type Counter = {
  /** Adds `value` (1 by default) to a count metric of this invocation, optionally under one dimension. */
  count: (name: Metrics.Metric, value?: number, dimension?: [name: string, value: string]) => void;
  flush: () => void;
};

export type Tools = {
  logger: Logger;
  count: Counter["count"];
  /** Aborts `DEADLINE_RESERVE_MS` before the invocation's timeout; never without a Lambda context (tests). */
  signal: AbortSignal;
};

const noMetrics: Counter = { count: () => {}, flush: () => {} };

/** One logger per service, shared by the functions of one container (one process locally). */
const loggers = new Map<string, Logger>();

export function lambdaHandler<R>(
  name: Topology.FunctionName,
  run: (event: unknown, tools: Tools) => Promise<R>,
  options: { metrics?: (service: string) => Counter } = {},
): (event: unknown, context?: Context) => Promise<R> {
  const service = Topology.WIRING[name].service;
  const logger = loggers.get(service) ?? new Logger({ serviceName: service });
  loggers.set(service, logger);
  const metrics = options.metrics?.(service) ?? noMetrics;
  return async (event, context) => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    logger.appendKeys({ function: name });
    const deadline = context
      ? Deadline.deadlineSignal(Date.now() + context.getRemainingTimeInMillis() - Deadline.DEADLINE_RESERVE_MS)
      : undefined;
    try {
      return await run(event, {
        logger,
        count: metrics.count,
        signal: deadline?.signal ?? new AbortController().signal,
      });
    } catch (error) {
      logger.error("Unhandled error", { error });
      throw error;
    } finally {
      deadline?.cancel();
      metrics.flush();
    }
  };
}
