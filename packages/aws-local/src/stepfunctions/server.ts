/**
 * The local Step Functions endpoint: speaks enough of the AWS JSON 1.0 protocol for the unchanged
 * `@aws-sdk/client-sfn` (`endpoint` or `AWS_ENDPOINT_URL_SFN`) to start and inspect executions, which
 * run in-process on aws-local-stepfunctions with local functions behind every Task state.
 * Signatures are not checked. Bound to 127.0.0.1 only.
 *
 *   POST /  (X-Amz-Target: AWSStepFunctions.StartExecution | DescribeExecution | ListExecutions | GetExecutionHistory)
 *
 * A state machine is Standard or asynchronous Express (`StateMachineConfig.type`); for Express it
 * models what AWS does differently: names are not unique (each start is a new execution), at least
 * once (`expressRunsTwice`), no DescribeExecution/GetExecutionHistory/ListExecutions, 5 minutes at most.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from "../defaults";
import { BodyTooLargeError, closeServer, createEmulatorServer, listen, readBody } from "../http/index";
import { safeLog, type Log } from "../eventbridge/delivery-log";
import { sendError, sendResult, StepFunctionsError, TARGET_PREFIX } from "./aws-json";
import type { Journal } from "../journal";
import { Executions, type JournalEntry } from "./executions";
export type { JournalEntry } from "./executions";
import { localStateMachine, type LocalStateMachine, type StateMachineConfig } from "./local-state-machine";
import { OPERATIONS } from "./operations";
import { requestBody } from "./request-fields";

export type { StateMachineConfig } from "./local-state-machine";
/** The largest Step Functions request (an execution input) is 256 KB; this is well above it. */
const MAX_BODY_BYTES = 1024 * 1024;
export type { TaskHandler } from "./task-handlers";

export interface StepFunctionsEndpointOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  region?: string;
  account?: string;
  stateMachines: readonly StateMachineConfig[];
  /** Receives one structured record per execution start and end, and per state entered, failed, retried or caught. */
  log?: Log;
  /** Every `Retry` waits this long instead of its IntervalSeconds/backoff, e.g. 0 in tests. */
  retryIntervalOverrideMs?: number;
  /**
   * Where running executions are written down (see `directoryJournal`); those it holds at start are
   * resumed. Without one, executions live in memory only.
   */
  journal?: Journal<JournalEntry>;
  /** Validate each definition against the ASL schema at start (default true; costs a few hundred ms). */
  validateDefinitions?: boolean;
  /** Finished executions remembered, oldest evicted first (default 1000). */
  maxFinishedExecutions?: number;
  /** Every Express StartExecution runs twice (at least once, made visible); see `ExecutionsOptions`. */
  expressRunsTwice?: boolean;
  /** Express's 5-minute limit, shortened by tests. */
  expressMaxDurationMs?: number;
  now?: () => Date;
}

export interface StepFunctionsEndpoint {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint` or `AWS_ENDPOINT_URL_SFN`. */
  url: string;
  port: number;
  /** The ARN of a configured state machine; throws for a name that is not configured. */
  stateMachineArn(name: string): string;
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
  /** Executions remembered, running and finished (bounded by `maxFinishedExecutions`). */
  executionCount(): number;
  /** Resumes every execution the journal says was running (each at the state it was in); returns how many. */
  resumeJournaled(): number;
  /** Aborts running executions (status ABORTED), then stops listening and drops open connections. */
  close(): Promise<void>;
}

export async function startStepFunctionsEndpoint(
  options: StepFunctionsEndpointOptions,
): Promise<StepFunctionsEndpoint> {
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const log = safeLog(options.log ?? (() => {}));
  const machines = new Map<string, LocalStateMachine>();
  for (const config of options.stateMachines) {
    const machine = localStateMachine(config, {
      region,
      account,
      retryIntervalOverrideMs: options.retryIntervalOverrideMs,
      validate: options.validateDefinitions,
    });
    if (machines.has(machine.arn)) throw new Error(`Two state machines are named ${config.name}`);
    machines.set(machine.arn, machine);
  }
  const executions = new Executions({
    region,
    account,
    log,
    now: options.now ?? (() => new Date()),
    journal: options.journal,
    maxFinished: options.maxFinishedExecutions,
    expressRunsTwice: options.expressRunsTwice,
    expressMaxDurationMs: options.expressMaxDurationMs,
  });
  /** Resumes what the journal holds; the caller says when (once its task functions can run). */
  const resumeJournaled = () => {
    let resumed = 0;
    for (const entry of options.journal?.list() ?? []) {
      const machine = machines.get(entry.stateMachineArn);
      if (machine && !executions.find(entry.executionArn)) {
        executions.resume(machine, entry);
        resumed++;
      } else if (!machine) {
        log({
          level: "warn",
          message: "stepfunctions.execution.dropped",
          executionArn: entry.executionArn,
          reason: "its state machine is no longer configured",
        });
        options.journal?.remove(entry.executionArn);
      }
    }
    return resumed;
  };

  const server = createEmulatorServer(handleRequest, (error, res) => {
    log({ level: "error", message: "stepfunctions.internal-error", error: String(error) });
    sendError(res, 500, "InternalServerError", "Internal error of the local Step Functions endpoint");
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || path !== "/")
      return sendError(res, 404, "UnknownOperationException", `No route for ${req.method} ${path}`);
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body instanceof BodyTooLargeError) {
      res.setHeader("connection", "close");
      return sendError(res, 413, "RequestEntityTooLargeException", body.message);
    }
    const text = body.toString("utf8");
    const target = String(req.headers["x-amz-target"] ?? "");
    const operationName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    if (!Object.hasOwn(OPERATIONS, operationName)) {
      return sendError(
        res,
        400,
        "UnknownOperationException",
        `The local Step Functions endpoint does not support ${target || "a request without X-Amz-Target"}`,
      );
    }
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text || "{}");
      } catch {
        throw new StepFunctionsError("SerializationException", "The request body is not valid JSON.");
      }
      sendResult(res, OPERATIONS[operationName]!(requestBody(parsed), { machines, executions }));
    } catch (error) {
      if (!(error instanceof StepFunctionsError)) throw error;
      sendError(res, 400, error.type, error.message);
    }
  }

  const port = await listen(server, options.port ?? 0, "Step Functions endpoint");

  // Idempotent: a test's finally block and its afterEach may both close.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await executions.stopAll();
      await closeServer(server);
    })());

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stateMachineArn(name) {
      const machine = [...machines.values()].find((candidate) => candidate.name === name);
      if (!machine) throw new Error(`No state machine named ${name} is configured`);
      return machine.arn;
    },
    idle: () => executions.idle(),
    executionCount: () => executions.size,
    resumeJournaled,
    close,
  };
}
