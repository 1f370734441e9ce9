/**
 * Lambda's execution environments for a set of functions, on worker threads. Each invocation runs in
 * an environment of its function that is doing nothing else: the most recently used warm one, else a
 * new one (a cold start, logged with its init time). So two concurrent invocations never share module
 * state, and state kept between invocations is there only when one environment happened to serve both
 * — exactly Lambda's guarantee, none. Local liberties, all delays and never a success Lambda would
 * refuse: a short wait before scaling out, waiting (not 429) past a function's concurrency, and one
 * cap on environments for all functions (idle ones reclaimed): docs/decisions/local-environments-share-a-cap.md.
 */
import { randomUUID } from "node:crypto";
import { ExecutionEnvironment, type ConsoleLine } from "./environment";
import { EnvironmentExitError, FunctionTimeoutError, ResourceNotFoundError } from "./errors";

export type FunctionConfiguration = {
  /** Absolute path of the handler's module (TypeScript or JavaScript). */
  modulePath: string;
  exportName: string;
  timeoutMs: number;
  memoryMB: number;
  /** Read at each cold start, so a new environment gets the configuration of that moment. */
  environment: () => Record<string, string>;
  /** Reserved concurrency: at most this many environments of the function at once. */
  maxEnvironments?: number;
};

export type PoolLogRecord = { level: "info" | "warn"; message: string; functionName: string; [field: string]: unknown };

export type FunctionPoolOptions = {
  functions: Readonly<Record<string, FunctionConfiguration>>;
  /** A warm environment without an invocation for this long is discarded (Lambda keeps them minutes). */
  idleTimeoutMs?: number;
  /** Environments per function at most; invocations beyond wait. */
  maxEnvironmentsPerFunction?: number;
  /** Environments of all functions together at most (idle ones of other functions make room); unbounded by default. */
  maxEnvironments?: number;
  /**
   * Each environment's V8 young generation, MB (V8's own sizing by default); the old generation is the function's
   * memory.
   */
  youngGenerationMb?: number;
  /** How long an invocation waits for a busy environment of its function before a new one is started. */
  scaleOutDelayMs?: number;
  /** Cold starts started at once by `warm()`. */
  warmParallelism?: number;
  /** One record per cold start, timeout, crash, discard and first wait for an environment. */
  log?: (record: PoolLogRecord) => void;
  /** What the handlers print; by default it goes to this process's stdout/stderr. */
  onConsole?: (line: ConsoleLine) => void;
};

export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION = 4;
/** An idle environment is reclaimed for another function's scale-out only once idle this long (see makeRoom). */
export const RECLAIM_AFTER_IDLE_MS = 1_000;

/** `since`: when the invocation started waiting (performance.now()), for first come first served across functions. */
type Waiter = { resolve: (environment: ExecutionEnvironment) => void; reject: (error: Error) => void; since: number };
type FunctionState = {
  name: string;
  config: FunctionConfiguration;
  max: number;
  /** Warm and free, the most recently used last. */
  idle: ExecutionEnvironment[];
  /** Every environment starting, idle or busy, with the generation it was started in. */
  all: Map<ExecutionEnvironment | Promise<ExecutionEnvironment>, number>;
  waiters: Waiter[];
  scaleOut?: NodeJS.Timeout;
  /** Set while invocations wait because the function is at its bound (logged once per episode). */
  saturated: boolean;
  idleTimers: Map<ExecutionEnvironment, NodeJS.Timeout>;
};

/** An idle environment, with its function and since when it is idle (the one idle longest makes room first). */
type IdleEntry = { fn: FunctionState; since: number };

export type FunctionPool = ReturnType<typeof createFunctionPool>;

export function createFunctionPool(options: FunctionPoolOptions) {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const perFunction = options.maxEnvironmentsPerFunction ?? DEFAULT_MAX_ENVIRONMENTS_PER_FUNCTION;
  const scaleOutDelayMs = options.scaleOutDelayMs ?? 100;
  const maxTotal = options.maxEnvironments ?? Infinity;
  const log = options.log ?? (() => {});
  const onConsole = options.onConsole ?? defaultConsole;
  let generation = 0;
  let closed = false;
  const functions = new Map<string, FunctionState>(
    Object.entries(options.functions).map(([name, config]) => [
      name,
      {
        name,
        config,
        max: Math.max(1, Math.min(perFunction, config.maxEnvironments ?? perFunction)),
        idle: [],
        all: new Map(),
        waiters: [],
        saturated: false,
        idleTimers: new Map(),
      },
    ]),
  );
  const countOf = (fn: FunctionState) => fn.all.size;
  const total = () => [...functions.values()].reduce((sum, fn) => sum + countOf(fn), 0);
  /** Every idle environment of every function, in the order they became idle. */
  const idleSince = new Map<ExecutionEnvironment, IdleEntry>();
  /** Functions with invocations waiting for room under `maxEnvironments`, first come first served. */
  const blocked = new Set<FunctionState>();
  const startingOf = (fn: FunctionState) =>
    [...fn.all.keys()].filter((environment) => environment instanceof Promise).length;
  /**
   * Set while a reclaim was refused because the idle environments were too fresh: retries when the oldest is old
   * enough.
   */
  let reclaimTimer: NodeJS.Timeout | undefined;
  /** Whether `fn` has an invocation that no environment, starting or busy, will serve unless it gets room. */
  const needsRoom = (fn: FunctionState) => fn.waiters.length > startingOf(fn) && countOf(fn) < fn.max;
  const oldestWait = (fn: FunctionState) => fn.waiters[0]?.since ?? Infinity;

  async function coldStart(fn: FunctionState): Promise<ExecutionEnvironment> {
    const started = performance.now();
    const born = generation;
    const starting = ExecutionEnvironment.start(
      {
        functionName: fn.name,
        ...fn.config,
        environment: fn.config.environment(),
        youngGenerationMb: options.youngGenerationMb,
      },
      onConsole,
    );
    fn.all.set(starting, born);
    try {
      const environment = await starting;
      if (closed) {
        void environment.discard();
        throw new Error("the function pool is closed");
      }
      fn.all.set(environment, born);
      log({
        level: "info",
        message: "lambda.cold-start",
        functionName: fn.name,
        environmentId: environment.id,
        initMs: environment.initMs,
        startMs: Math.round(performance.now() - started),
        environments: countOf(fn) - 1,
      });
      return environment;
    } catch (error) {
      log({ level: "warn", message: "lambda.init-failed", functionName: fn.name, error: (error as Error).message });
      throw error;
    } finally {
      fn.all.delete(starting);
    }
  }

  function discard(fn: FunctionState, environment: ExecutionEnvironment) {
    fn.all.delete(environment);
    clearTimeout(fn.idleTimers.get(environment));
    fn.idleTimers.delete(environment);
    idleSince.delete(environment);
    const at = fn.idle.indexOf(environment);
    if (at >= 0) fn.idle.splice(at, 1);
    void environment.discard();
  }

  function forget(fn: FunctionState, environment: ExecutionEnvironment) {
    discard(fn, environment);
    dispatch(fn);
    unblock();
  }

  /**
   * Discards another function's idle environment, the one idle longest, to make room for one of
   * `fn`'s. For a first environment any idle one will do (`fn` could not run otherwise); for one more
   * (a scale-out), only one idle at least `RECLAIM_AFTER_IDLE_MS`: one its function is not reusing
   * right now, so that room does not go round in circles between busy functions.
   */
  function makeRoom(fn: FunctionState) {
    const now = performance.now();
    for (const [environment, entry] of idleSince) {
      if (entry.fn === fn) continue;
      if (countOf(fn) > 0 && now - entry.since < RECLAIM_AFTER_IDLE_MS) {
        // The rest have been idle less long. Nothing else may happen once this one is old enough
        // (no release, no invocation), so look again then.
        reclaimTimer ??= setTimeout(
          () => {
            reclaimTimer = undefined;
            unblock();
          },
          RECLAIM_AFTER_IDLE_MS - (now - entry.since) + 1,
        );
        return false;
      }
      return reclaim(environment, entry, fn);
    }
    return false;
  }

  function reclaim(environment: ExecutionEnvironment, { fn: owner }: IdleEntry, fn: FunctionState) {
    log({
      level: "info",
      message: "lambda.reclaimed",
      functionName: owner.name,
      environmentId: environment.id,
      for: fn.name,
    });
    discard(owner, environment);
    return true;
  }

  /**
   * Functions waiting for room try again: those without any environment first (they cannot run at
   * all; a scale-out only runs faster), each group oldest waiter first. One still without room does
   * not stop the rest: it may be refused only a scale-out while the next needs its first environment.
   */
  function unblock() {
    const order = [...blocked].sort(
      (a, b) => Number(countOf(a) > 0) - Number(countOf(b) > 0) || oldestWait(a) - oldestWait(b),
    );
    for (const fn of order) {
      blocked.delete(fn);
      dispatch(fn);
    }
  }

  /**
   * The blocked function that should have `fn`'s freed environment's room rather than `fn`'s own next
   * invocation: one that waited longer and has no environment, or at least two fewer than `fn` — so
   * room moves towards an even share, never back and forth between two busy functions (each move is
   * a cold start).
   */
  function owedRoom(fn: FunctionState): FunctionState | undefined {
    const next = oldestWait(fn);
    for (const other of blocked) {
      if (other === fn || !needsRoom(other) || oldestWait(other) >= next) continue;
      if (countOf(other) === 0 || countOf(other) <= countOf(fn) - 2) return other;
    }
    return undefined;
  }

  /**
   * Starts an environment for each waiting invocation that no starting one will serve, while the
   * function is below its bound. A new environment serves the oldest waiter, or stays warm; one that
   * fails to load fails the oldest waiter (its module will not load for the others either).
   */
  function dispatch(fn: FunctionState) {
    while (!closed && fn.waiters.length > startingOf(fn) && countOf(fn) < fn.max) {
      if (total() >= maxTotal && !makeRoom(fn)) {
        if (!blocked.has(fn))
          log({
            level: "info",
            message: "lambda.waiting-for-room",
            functionName: fn.name,
            environments: countOf(fn),
            environmentsAll: total(),
          });
        blocked.add(fn);
        return;
      }
      coldStart(fn).then(
        (environment) => release(fn, environment),
        (error: Error) => {
          fn.waiters.shift()?.reject(error);
          dispatch(fn);
          unblock();
        },
      );
    }
  }

  function acquire(fn: FunctionState): Promise<ExecutionEnvironment> {
    if (closed) return Promise.reject(new Error("the function pool is closed"));
    const warm = fn.idle.pop();
    if (warm) {
      clearTimeout(fn.idleTimers.get(warm));
      fn.idleTimers.delete(warm);
      idleSince.delete(warm);
      return Promise.resolve(warm);
    }
    const waiting = new Promise<ExecutionEnvironment>((resolve, reject) =>
      fn.waiters.push({ resolve, reject, since: performance.now() }),
    );
    if (countOf(fn) === 0) dispatch(fn);
    else
      fn.scaleOut ??= setTimeout(() => {
        fn.scaleOut = undefined;
        dispatch(fn);
      }, scaleOutDelayMs);
    if (!fn.saturated && countOf(fn) >= fn.max && fn.waiters.length > startingOf(fn)) {
      fn.saturated = true;
      log({ level: "info", message: "lambda.waiting", functionName: fn.name, environments: countOf(fn) });
    }
    return waiting;
  }

  function release(fn: FunctionState, environment: ExecutionEnvironment) {
    if (environment.gone || closed || (fn.all.get(environment) ?? -1) < generation) return forget(fn, environment);
    const owed = fn.waiters.length > 0 ? owedRoom(fn) : undefined;
    if (owed) {
      // First come first served across functions: the freed room goes to the invocation that waited
      // longest; `fn`'s own waiters keep its other environments, or queue for room in their turn.
      log({
        level: "info",
        message: "lambda.reclaimed",
        functionName: fn.name,
        environmentId: environment.id,
        for: owed.name,
      });
      discard(fn, environment);
      blocked.delete(owed);
      dispatch(owed);
      dispatch(fn);
      unblock();
      return;
    }
    const waiter = fn.waiters.shift();
    if (waiter) return waiter.resolve(environment);
    fn.saturated = false;
    fn.idle.push(environment);
    idleSince.set(environment, { fn, since: performance.now() });
    const timer = setTimeout(() => {
      log({ level: "info", message: "lambda.idle-discarded", functionName: fn.name, environmentId: environment.id });
      forget(fn, environment);
    }, idleTimeoutMs);
    timer.unref();
    fn.idleTimers.set(environment, timer);
    // Another function may be waiting for room: this idle environment is now the one to reclaim.
    if (blocked.size > 0) unblock();
  }

  function functionState(name: string) {
    const fn = functions.get(name);
    if (!fn) throw new ResourceNotFoundError(name);
    return fn;
  }

  return {
    /**
     * Invokes a function synchronously (RequestResponse): its result, or its error (FunctionError,
     * FunctionTimeoutError, ...).
     */
    async invoke(name: string, event: unknown): Promise<unknown> {
      const fn = functionState(name);
      const environment = await acquire(fn);
      try {
        return await environment.invoke(event, randomUUID());
      } catch (error) {
        if (error instanceof FunctionTimeoutError)
          log({
            level: "warn",
            message: "lambda.timed-out",
            functionName: name,
            environmentId: environment.id,
            timeoutMs: fn.config.timeoutMs,
          });
        else if (error instanceof EnvironmentExitError)
          log({
            level: "warn",
            message: "lambda.environment-exited",
            functionName: name,
            environmentId: environment.id,
            error: error.message,
          });
        throw error;
      } finally {
        release(fn, environment);
      }
    },

    /** Starts one environment for each function that has none, so a module that fails to load fails here. */
    async warm(names: string[] = [...functions.keys()]) {
      // Warming takes free room only: it never reclaims another function's environment.
      const queue = names.map(functionState).filter((fn) => countOf(fn) === 0);
      const failures: Error[] = [];
      const worker = async () => {
        for (let fn = queue.shift(); fn && total() < maxTotal; fn = queue.shift()) {
          try {
            release(fn, await coldStart(fn));
          } catch (error) {
            failures.push(error as Error);
          }
        }
      };
      await Promise.all(Array.from({ length: options.warmParallelism ?? 2 }, worker));
      if (failures.length > 0) throw failures[0];
    },

    /**
     * Discards every idle environment now and each busy one when its invocation ends (of the functions named, or all).
     */
    retireAll(names: string[] = [...functions.keys()]) {
      generation++;
      const retiring = new Set(names);
      for (const fn of functions.values()) {
        if (!retiring.has(fn.name)) {
          // Not retired: its environments count as of the new generation.
          for (const environment of fn.all.keys()) fn.all.set(environment, generation);
          continue;
        }
        for (const environment of [...fn.idle]) forget(fn, environment);
      }
    },

    /**
     * Environments per function (starting, idle or busy), invocations waiting for one, and the V8
     * heaps of its started environments (in use and committed, MB, as of each one's last invocation
     * or collection).
     */
    stats() {
      return Object.fromEntries(
        [...functions.values()].map((fn) => {
          const started = [...fn.all.keys()].filter((e): e is ExecutionEnvironment => !(e instanceof Promise));
          const mb = (pick: (e: ExecutionEnvironment) => number) =>
            Math.round((started.reduce((sum, e) => sum + pick(e), 0) / 1048576) * 10) / 10;
          return [
            fn.name,
            {
              environments: countOf(fn),
              idle: fn.idle.length,
              waiting: fn.waiters.length,
              heapUsedMb: mb((e) => e.heap.usedBytes),
              heapTotalMb: mb((e) => e.heap.totalBytes),
            },
          ];
        }),
      );
    },

    /** Terminates every environment; invocations still running or waiting fail. */
    async close() {
      closed = true;
      const terminations: Promise<unknown>[] = [];
      blocked.clear();
      idleSince.clear();
      clearTimeout(reclaimTimer);
      for (const fn of functions.values()) {
        for (const waiter of fn.waiters.splice(0)) waiter.reject(new Error("the function pool is closed"));
        for (const timer of fn.idleTimers.values()) clearTimeout(timer);
        clearTimeout(fn.scaleOut);
        fn.idleTimers.clear();
        fn.idle = [];
        for (const environment of fn.all.keys())
          if (environment instanceof ExecutionEnvironment) terminations.push(environment.discard());
      }
      await Promise.allSettled(terminations);
    },
  };
}

function defaultConsole(line: ConsoleLine) {
  const stream =
    line.method === "error" || line.method === "warn" || line.method === "trace" ? process.stderr : process.stdout;
  stream.write(`${line.text}\n`);
}
