/**
 * The local EventBridge endpoint: enough of the AWS JSON 1.1 protocol for the unchanged
 * `@aws-sdk/client-eventbridge` and `aws events put-events --endpoint-url` to publish events, matched
 * against the configured rules and delivered to in-process targets with EventBridge's retry and
 * dead-letter behaviour. Signatures are not checked. Bound to 127.0.0.1 only.
 *
 *   POST /  (X-Amz-Target: AWSEvents.PutEvents)  → {FailedEntryCount, Entries}
 *   POST /  (AWSEvents.StartReplay, AWSEvents.DescribeReplay) → replays of the configured archives
 *   GET  /dead-letters                           → the dead-letter log as JSON
 *   POST /dead-letters/redrive                   → every dead letter to its rule's target again (retry
 *                                                  policy anew), removed from the log: {redriven: [...]}
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../defaults";
import {
  BodyTooLargeError,
  closeServer,
  createEmulatorServer,
  listen,
  readBody,
  sendAwsError as sendError,
  sendJson,
} from "../http/index";
import type { DeadLetter } from "./dead-letters";
import { eventFields, safeLog, type Log } from "./delivery-log";
import type { Journal } from "../journal";
import { DeliveryQueue, journalKey, type JournalDelivery } from "./delivery-queue";
export type { JournalDelivery } from "./delivery-queue";
import { EventArchive, type ArchiveConfig } from "./archive";
import { Replays, ReplayRequestError } from "./replay";
import { handlePutEvents, PutEventsRequestError, type AcceptedEvent } from "./put-events";
import { DEFAULT_RETRY_BASE_DELAY_MS } from "./retry-delay";
import { compileRules, type EventRule, type RouteEvent } from "./rules";

export type { EventRule, RetryPolicy } from "./rules";
export type { DeadLetter } from "./dead-letters";
export type { ArchiveConfig } from "./archive";
export { archiveArn, eventBusArn } from "./replay";
export type { EventBridgeEvent } from "./event-envelope";

const PUT_EVENTS_TARGET = "AWSEvents.PutEvents";
const START_REPLAY_TARGET = "AWSEvents.StartReplay";
const DESCRIBE_REPLAY_TARGET = "AWSEvents.DescribeReplay";
/** Far above the 256 KB PutEvents limit; a body this large is refused before it is parsed. */
const MAX_BODY_BYTES = 1024 * 1024;
const sendAwsError = (res: ServerResponse, status: number, type: string, message: string) =>
  sendError(res, status, type, message, "json-1.1");

export interface EventBridgeEndpointOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Custom bus names; `default` always exists. */
  buses?: readonly string[];
  rules?: readonly EventRule[];
  account?: string;
  region?: string;
  /** Receives one structured record per match, delivery attempt, retry and dead letter. */
  log?: Log;
  /**
   * Where queued deliveries are written down (see `directoryJournal`); `redeliverJournaled()` sends
   * again what it holds. Without one, deliveries live in memory only.
   */
  journal?: Journal<JournalDelivery>;
  /** Archives of accepted events, for StartReplay (in memory; see archive.ts). */
  archives?: readonly ArchiveConfig[];
  /** Events kept per archive, oldest dropped first (default 10 000). */
  maxArchivedEvents?: number;
  /** Dead letters kept for `GET /dead-letters`, oldest dropped first (default 1000). */
  maxDeadLetters?: number;
  /** First retry waits about this long, then twice as long, and so on (plus jitter). Default 1 s. */
  retryBaseDelayMs?: number;
  now?: () => Date;
  random?: () => number;
}

export interface EventBridgeEndpoint {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` or the CLI's `--endpoint-url`. */
  url: string;
  port: number;
  deadLetters(): DeadLetter[];
  /** Resolves when no delivery is running or waiting for a retry. */
  idle(): Promise<void>;
  /** Deliveries running or waiting for a retry. */
  inFlight(): number;
  /** Sends again every delivery the journal holds (cancelled by a stop, or lost in a crash); returns how many. */
  redeliverJournaled(): number;
  /** Stops listening, drops open connections and waiting retries. A target call already running is not awaited. */
  close(): Promise<void>;
}

export async function startEventBridgeEndpoint(options: EventBridgeEndpointOptions = {}): Promise<EventBridgeEndpoint> {
  const buses = options.buses ?? [];
  const route = compileRules(options.rules ?? [], buses);
  const log = safeLog(options.log ?? (() => {}));
  const now = options.now ?? (() => new Date());
  const deliveries = new DeliveryQueue({
    log,
    now,
    retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    random: options.random,
    journal: options.journal,
    maxDeadLetters: options.maxDeadLetters,
  });
  const context = { buses, account: options.account ?? DEFAULT_ACCOUNT, region: options.region ?? DEFAULT_REGION, now };
  const rulesByName = new Map((options.rules ?? []).map((rule) => [rule.name, rule]));
  const archives = (options.archives ?? []).map((config) => new EventArchive(config, options.maxArchivedEvents));
  const replays = new Replays({
    ...context,
    archives,
    dispatch: (busName, events) =>
      dispatch(
        events.map((event) => ({ busName, event })),
        route,
        deliveries,
        log,
        now(),
      ),
  });

  /** Dead letters whose rule still exists go back to its target; the others stay in the log. */
  function redriveDeadLetters() {
    const redriven = [];
    for (const deadLetter of deliveries.deadLetters.takeAll()) {
      const rule = rulesByName.get(deadLetter.ruleName);
      if (!rule) {
        deliveries.deadLetters.append(deadLetter);
        continue;
      }
      log({ level: "warn", message: "eventbridge.redriven", rule: rule.name, ...eventFields(deadLetter.event) });
      deliveries.deliver(rule, deadLetter.event, now());
      redriven.push(deadLetter);
    }
    return redriven;
  }

  const server = createEmulatorServer(handleRequest, (error, res) => {
    log({ level: "error", message: "eventbridge.internal-error", error: String(error) });
    sendAwsError(res, 500, "InternalException", "Internal error of the local EventBridge endpoint");
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "GET" && path === "/dead-letters")
      return sendJson(res, 200, deliveries.deadLetters.list(), "rest-json");
    if (req.method === "POST" && path === "/dead-letters/redrive")
      return sendJson(res, 200, { redriven: redriveDeadLetters() }, "rest-json");
    if (req.method !== "POST" || path !== "/")
      return sendJson(res, 404, { message: `No route for ${req.method} ${path}` }, "rest-json");

    const raw = await readBody(req, MAX_BODY_BYTES);
    if (raw instanceof BodyTooLargeError) {
      res.setHeader("connection", "close");
      return sendAwsError(res, 413, "RequestEntityTooLargeException", raw.message);
    }
    const text = raw.toString("utf8");
    const target = req.headers["x-amz-target"];
    const operations = [PUT_EVENTS_TARGET, START_REPLAY_TARGET, DESCRIBE_REPLAY_TARGET];
    if (typeof target !== "string" || !operations.includes(target)) {
      return sendAwsError(
        res,
        400,
        "UnknownOperationException",
        `The local EventBridge endpoint supports only ${operations.join(", ")}, not ${String(target)}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return sendAwsError(res, 400, "SerializationException", "The request body is not valid JSON.");
    }
    if (target !== PUT_EVENTS_TARGET) {
      try {
        return sendJson(
          res,
          200,
          target === START_REPLAY_TARGET ? replays.start(body) : replays.describe(body),
          "json-1.1",
        );
      } catch (error) {
        if (!(error instanceof ReplayRequestError)) throw error;
        return sendAwsError(res, 400, error.type, error.message);
      }
    }
    let result: ReturnType<typeof handlePutEvents>;
    try {
      result = handlePutEvents(body, context);
    } catch (error) {
      if (!(error instanceof PutEventsRequestError)) throw error;
      return sendAwsError(res, 400, error.type, error.message);
    }
    // Queued (and journaled) before the answer; the first attempts run on a later tick, so
    // PutEvents never waits for targets.
    const receivedAt = now();
    for (const { busName, event } of result.accepted)
      for (const archive of archives) archive.offer(busName, event, receivedAt);
    dispatch(result.accepted, route, deliveries, log, receivedAt);
    sendJson(res, 200, result.response, "json-1.1");
  }

  const port = await listen(server, options.port ?? 0, "EventBridge endpoint");

  // Idempotent: a test's finally block and its afterEach may both close.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      deliveries.close();
      await closeServer(server);
    })());

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deadLetters: () => deliveries.deadLetters.list(),
    idle: () => deliveries.idle(),
    inFlight: () => deliveries.inFlight,
    redeliverJournaled() {
      const rules = rulesByName;
      let count = 0;
      for (const entry of options.journal?.list() ?? []) {
        const rule = rules.get(entry.ruleName);
        if (!rule) {
          log({
            level: "warn",
            message: "eventbridge.dropped",
            rule: entry.ruleName,
            reason: "the rule is no longer configured",
            ...eventFields(entry.event),
          });
          options.journal?.remove(journalKey(entry.event, entry.ruleName));
          continue;
        }
        log({
          level: "warn",
          message: "eventbridge.redelivered",
          rule: rule.name,
          attempts: entry.attempts,
          ...eventFields(entry.event),
        });
        deliveries.deliver(rule, entry.event, new Date(entry.receivedAt), entry.attempts);
        count++;
      }
      return count;
    },
    close,
  };
}

function dispatch(
  accepted: AcceptedEvent[],
  route: RouteEvent,
  deliveries: DeliveryQueue,
  log: Log,
  receivedAt: Date,
): void {
  for (const { busName, event } of accepted) {
    const rules = route(busName, event);
    if (rules.length === 0)
      log({ level: "info", message: "eventbridge.unmatched", bus: busName, ...eventFields(event) });
    for (const rule of rules) {
      log({ level: "info", message: "eventbridge.match", rule: rule.name, bus: busName, ...eventFields(event) });
      deliveries.deliver(rule, event, receivedAt);
    }
  }
}
