/**
 * The executions of the configured state machines: started with Step Functions' naming and
 * idempotency rules, run in the background on aws-local-stepfunctions, and remembered afterwards
 * (the newest `maxFinished` finished ones; older ones are evicted, as AWS forgets closed executions
 * after 90 days). With a journal, a running execution is written down at start and, if Standard, at
 * every state it enters, so that after a crash or a restart it resumes at the state it was in (that
 * state runs again: at least once, as Step Functions retries a task after a failure); an Express one
 * runs again from its start, as AWS keeps no state of it between transitions.
 */
import { randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";
import type { Log, LogLine } from "../eventbridge/delivery-log";
import type { Journal } from "../journal";
import { executionArn, expressExecutionArn } from "./arns";
import { StepFunctionsError } from "./aws-json";
import { contextObject, recordingStateEntries, StateEntries } from "./context-object";
import {
  causeText,
  closingHistoryEvent,
  historyEventsOf,
  type HistoryEventBody,
  type LibraryEvent,
} from "./execution-history";
import { outcomeOf } from "./execution-outcome";
import { orderIdOf, type ExecutionRecord, type ExecutionStatus } from "./execution-record";
import type { LocalStateMachine } from "./local-state-machine";
import { nameProblem } from "./names";
import { localTaskHandlers } from "./task-handlers";

type ExecutionInput = Parameters<StateMachine["run"]>[0];

export interface ExecutionsOptions {
  region: string;
  account: string;
  log: Log;
  now: () => Date;
  journal?: Journal<JournalEntry>;
  /** Finished executions kept for DescribeExecution/ListExecutions/GetExecutionHistory. */
  maxFinished?: number;
  /**
   * At-least-once made visible: every Express StartExecution also runs a second execution of the same
   * name and input, as AWS may (tests and `npm start` with LOCAL_EXPRESS_RUNS_TWICE=true). Standard is exactly once.
   */
  expressRunsTwice?: boolean;
  /** Express's 5-minute limit, shortened by tests (AWS ends an Express execution after it: TIMED_OUT). */
  expressMaxDurationMs?: number;
}

/**
 * AWS ends an Express execution after 5 minutes
 * (https://docs.aws.amazon.com/step-functions/latest/dg/express-limits.html).
 * The emulator's own copy (this package imports nothing from the app); the app declares the limit once,
 * core's `Topology.EXPRESS_MAX_DURATION_SECONDS`, and packages/local's tests check the two agree.
 */
export const EXPRESS_MAX_DURATION_MS = 5 * 60 * 1000;

/** What the journal keeps of a running execution: enough to start it again where it was. */
export interface JournalEntry {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  startDate: string;
  /** The last top-level state entered, and its input. */
  checkpoint?: { state: string; input: unknown };
}

export const DEFAULT_MAX_FINISHED_EXECUTIONS = 1000;

type Running = { stop: () => void; done: Promise<void> };

export class Executions {
  /** By execution ARN, in the order they started. */
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Running>();
  /** ARNs of finished executions, oldest first, for eviction. */
  private readonly finished: string[] = [];
  private stopped = false;

  constructor(private readonly options: ExecutionsOptions) {}

  /**
   * StartExecution. Standard: a new execution, or the running one with the same name and input.
   * Express: always a new execution with an ARN of its own (names are not unique, no idempotency),
   * and with `expressRunsTwice` a second one of the same name and input (at least once).
   */
  start(machine: LocalStateMachine, request: { name?: string; input?: string }): ExecutionRecord {
    if (this.stopped) throw new Error("The local Step Functions endpoint is closing");
    const name = request.name ?? randomUUID();
    const problem = nameProblem(name);
    if (problem) throw new StepFunctionsError("InvalidName", `Invalid Name: '${name}' (${problem})`);
    const inputText = request.input ?? "{}";
    const express = machine.type === "EXPRESS";
    const arn = express
      ? expressExecutionArn(this.options.region, this.options.account, machine.name, name, randomUUID())
      : executionArn(this.options.region, this.options.account, machine.name, name);

    // Standard workflows: the same name and input while the first runs is the same execution; a
    // different input, or any start once it has closed, is refused.
    const existing = this.records.get(arn);
    if (existing) {
      if (existing.status === "RUNNING" && existing.input === inputText) return existing;
      throw new StepFunctionsError("ExecutionAlreadyExists", `Execution Already Exists: '${arn}'`);
    }
    const record = this.startNew(machine, arn, name, inputText);
    if (express && this.options.expressRunsTwice) {
      const again = this.startNew(
        machine,
        expressExecutionArn(this.options.region, this.options.account, machine.name, name, randomUUID()),
        name,
        inputText,
      );
      this.options.log({
        level: "warn",
        message: "stepfunctions.execution.duplicated",
        ...logFields(again, JSON.parse(inputText)),
        executionArn: again.executionArn,
        of: arn,
      });
    }
    return record;
  }

  private startNew(machine: LocalStateMachine, arn: string, name: string, inputText: string): ExecutionRecord {
    let input: ExecutionInput;
    try {
      input = JSON.parse(inputText) as ExecutionInput;
    } catch (error) {
      throw new StepFunctionsError(
        "InvalidExecutionInput",
        `Invalid State Machine Execution Input: '${error instanceof Error ? error.message : String(error)}'`,
      );
    }

    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      name,
      status: "RUNNING",
      startDate: this.options.now(),
      input: inputText,
      history: [],
    };
    this.records.set(arn, record);
    this.options.journal?.put(arn, {
      executionArn: arn,
      stateMachineArn: machine.arn,
      name,
      input: inputText,
      startDate: record.startDate.toISOString(),
    });
    this.run(machine, record, input);
    return record;
  }

  /** Runs again an execution the journal says was running when the last process stopped. */
  resume(machine: LocalStateMachine, entry: JournalEntry): ExecutionRecord {
    const record: ExecutionRecord = {
      executionArn: entry.executionArn,
      stateMachineArn: machine.arn,
      stateMachineName: machine.name,
      name: entry.name,
      status: "RUNNING",
      startDate: new Date(entry.startDate),
      input: entry.input,
      history: [],
    };
    this.records.set(record.executionArn, record);
    // Express keeps no state between transitions: an execution AWS loses is run again from its start.
    const at =
      machine.type !== "EXPRESS" && entry.checkpoint && Object.hasOwn(machine.definition.States, entry.checkpoint.state)
        ? entry.checkpoint
        : undefined;
    this.options.log({
      level: "warn",
      message: "stepfunctions.execution.resumed",
      ...logFields(record, JSON.parse(entry.input)),
      executionArn: record.executionArn,
      state: at?.state ?? machine.definition.StartAt,
    });
    this.run(machine, record, JSON.parse(entry.input) as ExecutionInput, at);
    return record;
  }

  /** How many executions are remembered (running and finished). */
  get size(): number {
    return this.records.size;
  }

  find(executionArn: string): ExecutionRecord | undefined {
    return this.records.get(executionArn);
  }

  /** Newest first, as ListExecutions returns them. */
  ofStateMachine(stateMachineArn: string, status?: ExecutionStatus): ExecutionRecord[] {
    return [...this.records.values()]
      .filter((record) => record.stateMachineArn === stateMachineArn && (!status || record.status === status))
      .reverse();
  }

  /** Resolves when no execution is running, including those started while waiting. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((running) => running.done));
  }

  /** Aborts every running execution and refuses new ones. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    for (const running of this.running.values()) running.stop();
    await this.idle();
  }

  private run(
    machine: LocalStateMachine,
    record: ExecutionRecord,
    input: ExecutionInput,
    resumeAt?: { state: string; input: unknown },
  ): void {
    const { log, now } = this.options;
    const fields = logFields(record, input);
    const roleArn = `arn:aws:iam::${this.options.account}:role/${machine.name}-local`;
    const entries = new StateEntries(now);
    const stop = new AbortController();
    // A fresh library instance per execution: the entry recorder belongs to this execution only.
    const bounded =
      machine.type === "EXPRESS"
        ? expressBounded(machine.definition, this.options.expressMaxDurationMs ?? EXPRESS_MAX_DURATION_MS)
        : machine.definition;
    const definition = resumeAt ? { ...bounded, StartAt: resumeAt.state } : bounded;
    const firstInput = resumeAt ? (resumeAt.input as ExecutionInput) : input;
    const execution = new StateMachine(recordingStateEntries(definition, entries), {
      validationOptions: { noValidate: true },
    }).run(firstInput, {
      overrides: {
        taskResourceLocalHandlers: localTaskHandlers(machine.taskHandlers, stop.signal),
        ...(machine.retryIntervalOverrides ? { retryIntervalOverrides: machine.retryIntervalOverrides } : {}),
      },
      context: contextObject(
        {
          executionArn: record.executionArn,
          executionName: record.name,
          input,
          startDate: record.startDate,
          roleArn,
          stateMachineArn: machine.arn,
          stateMachineName: machine.name,
        },
        entries,
      ),
    });
    log({ level: "info", message: "stepfunctions.execution.started", ...fields, executionArn: record.executionArn });

    const followed = this.follow(execution.eventLogs, machine, record, roleArn, fields);
    const done = Promise.allSettled([execution.result])
      .then(async ([result]) => {
        // The event log trails the result; the record closes once both are complete.
        await followed;
        const lastState = entries.current ? machine.definition.States[entries.current.name] : undefined;
        Object.assign(record, outcomeOf(result, lastState), { stopDate: now() });
        appendHistory(record, closingHistoryEvent(record));
        log({
          level: record.status === "SUCCEEDED" ? "info" : "warn",
          message: `stepfunctions.execution.${record.status.toLowerCase().replace("_", "-")}`,
          ...fields,
          executionArn: record.executionArn,
          status: record.status,
          durationMs: record.stopDate!.getTime() - record.startDate.getTime(),
          ...(record.error !== undefined ? { error: record.error } : {}),
          ...(record.cause !== undefined ? { cause: record.cause } : {}),
        });
      })
      .catch((error: unknown) =>
        log({ level: "error", message: "stepfunctions.internal-error", ...fields, error: String(error) }),
      )
      .finally(() => {
        this.running.delete(record.executionArn);
        // Stopped by close(): still running as far as the journal knows, resumed at the next start.
        if (!this.stopped) this.options.journal?.remove(record.executionArn);
        this.evictPast(record.executionArn);
      });
    this.running.set(record.executionArn, {
      stop: () => {
        execution.abort();
        stop.abort();
      },
      done,
    });
  }

  private evictPast(finishedArn: string): void {
    this.finished.push(finishedArn);
    const max = this.options.maxFinished ?? DEFAULT_MAX_FINISHED_EXECUTIONS;
    while (this.finished.length > max) this.records.delete(this.finished.shift()!);
  }

  /** Turns the library's events into history events and one log record per state entered, failed, retried or caught. */
  private async follow(
    events: AsyncGenerator<LibraryEvent>,
    machine: LocalStateMachine,
    record: ExecutionRecord,
    roleArn: string,
    fields: LogLine,
  ): Promise<void> {
    const { log } = this.options;
    const failedTasks = new Set<string>();
    for await (const event of events) {
      for (const historyEvent of historyEventsOf(event, machine.resources, roleArn, this.options.region, failedTasks))
        appendHistory(record, historyEvent);
      switch (event.type) {
        case "StateEntered":
          if (!this.stopped && isTopLevel(event, machine) && machine.type !== "EXPRESS") {
            this.options.journal?.put(
              record.executionArn,
              journalEntryOf(record, { state: event.state.name, input: event.state.input }),
            );
          }
          log({ level: "info", message: "stepfunctions.state.entered", ...fields, state: event.state.name });
          break;
        case "StateFailed":
          log({
            level: "warn",
            message: "stepfunctions.state.failed",
            ...fields,
            state: event.state.name,
            error: event.Error,
            cause: causeText(event.Cause),
          });
          break;
        case "StateRetried":
          log({
            level: "info",
            message: "stepfunctions.state.retried",
            ...fields,
            state: event.state.name,
            attempt: event.retry.attempt,
          });
          break;
        case "StateCaught":
          log({
            level: "info",
            message: "stepfunctions.state.caught",
            ...fields,
            state: event.state.name,
            next: event.catch.catcher.Next,
          });
          break;
      }
    }
  }
}

/** The definition with its own timeout no longer than Express's limit (the library ends it with TIMED_OUT). */
function expressBounded(definition: LocalStateMachine["definition"], maxMs: number): LocalStateMachine["definition"] {
  const own = definition.TimeoutSeconds;
  return { ...definition, TimeoutSeconds: own === undefined ? maxMs / 1000 : Math.min(own, maxMs / 1000) };
}

/** A state of the definition itself (not one inside a Map or Parallel branch). */
function isTopLevel(event: Extract<LibraryEvent, { type: "StateEntered" }>, machine: LocalStateMachine) {
  return event.index === undefined && Object.hasOwn(machine.definition.States, event.state.name);
}

function journalEntryOf(record: ExecutionRecord, checkpoint: JournalEntry["checkpoint"]): JournalEntry {
  const { executionArn, stateMachineArn, name, input } = record;
  return { executionArn, stateMachineArn, name, input, startDate: record.startDate.toISOString(), checkpoint };
}

function logFields(record: ExecutionRecord, input: unknown): LogLine {
  const orderId = orderIdOf(input);
  return { stateMachine: record.stateMachineName, execution: record.name, ...(orderId ? { orderId } : {}) };
}

function appendHistory(record: ExecutionRecord, event: HistoryEventBody | undefined): void {
  if (!event) return;
  const id = record.history.length + 1;
  record.history.push({ ...event, id, previousEventId: id - 1 });
}
