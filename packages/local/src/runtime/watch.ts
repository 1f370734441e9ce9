/**
 * `npm start -- --watch`: the handlers' sources are watched (every file esbuild bundled into a handler,
 * plus packages/core and packages/functions for files not imported yet); a save rebuilds the bundles,
 * and the functions whose bundle changed get new execution environments — the next invocation of each
 * cold-starts on the new code, one in flight finishes on the old. Everything else lives in the runtime
 * process, not in the environments, and stays: tables, open sockets, executions, queued deliveries,
 * the token secret. A build that fails keeps the last good bundles serving and prints the error once.
 * A change to the emulators or the runtime itself cannot be loaded in place: the log says to restart.
 */
import { watch, type FSWatcher } from "node:fs";
import { existsSync } from "node:fs";
import path from "node:path";
import { formatMessagesSync, type Message } from "esbuild";
import type { RebuildResult } from "./lambda";
import type { Log } from "./log";

/** Editors save in bursts (write, rename, chmod): one rebuild per burst. */
export const WATCH_DEBOUNCE_MS = 75;

/** Directories of the handlers' code, relative to the repository root. */
const HANDLER_DIRS = ["packages/core/src", "packages/functions/src"];
/** Directories whose code runs in the runtime process itself: a change there needs a restart. */
const RUNTIME_DIRS = ["packages/aws-local/src", "packages/local/src"];
const SOURCE_FILE = /\.(c|m)?(t|j)sx?$|\.json$/;

export type SourceWatcher = { close(): void };

export function watchSources(options: {
  root: string;
  /** Every source file in the current bundles (from the last successful build). */
  inputs: string[];
  rebuild: () => Promise<RebuildResult>;
  log: Log;
}): SourceWatcher {
  const { root, log } = options;
  let inputs = new Set(options.inputs);
  let timer: NodeJS.Timeout | undefined;
  /** When the first change of the pending burst was seen (the save), and which files changed. */
  let firstChangeAt: number | undefined;
  let changedFiles = new Set<string>();
  let building = false;
  let closed = false;
  /** Runtime files already named, with when: an editor's burst of events is one notice. */
  const restartNoticed = new Map<string, number>();

  const watchers: FSWatcher[] = [];
  const watchDir = (relative: string, onFile: (file: string) => void) => {
    const dir = path.join(root, relative);
    if (!existsSync(dir)) return;
    const watcher = watch(dir, { recursive: true }, (_event, filename) => {
      if (filename && SOURCE_FILE.test(filename)) onFile(path.join(dir, filename.toString()));
    });
    watcher.on("error", (error) =>
      log({ component: "watch", message: `stopped watching ${relative}`, error: error.message }),
    );
    watchers.push(watcher);
  };

  const onHandlerSource = (file: string) => {
    firstChangeAt ??= performance.now();
    changedFiles.add(path.relative(root, file));
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), WATCH_DEBOUNCE_MS);
  };
  for (const dir of HANDLER_DIRS) watchDir(dir, onHandlerSource);
  // A handler may bundle a file outside those directories (another workspace package's source).
  const outside = new Set(
    [...inputs]
      .map(path.dirname)
      .filter((dir) => !HANDLER_DIRS.some((handlerDir) => dir.startsWith(path.join(root, handlerDir)))),
  );
  for (const dir of outside)
    if (!dir.split(path.sep).includes("node_modules"))
      watchDir(path.relative(root, dir), (file) => inputs.has(file) && onHandlerSource(file));
  for (const dir of RUNTIME_DIRS) {
    watchDir(dir, (file) => {
      if (inputs.has(file)) return onHandlerSource(file);
      const relative = path.relative(root, file);
      const now = performance.now();
      if (now - (restartNoticed.get(relative) ?? -Infinity) < 2_000) return;
      restartNoticed.set(relative, now);
      log({
        component: "watch",
        message: `${relative} changed: it runs in the runtime itself, not in a function — restart npm start to load it`,
      });
    });
  }

  async function rebuild() {
    if (closed) return;
    if (building) {
      // Another save during a build: build again once this one is done.
      timer = setTimeout(() => void rebuild(), WATCH_DEBOUNCE_MS);
      return;
    }
    building = true;
    const savedAt = firstChangeAt ?? performance.now();
    const files = [...changedFiles];
    firstChangeAt = undefined;
    changedFiles = new Set();
    try {
      const result = await options.rebuild();
      if (closed) return;
      inputs = new Set(result.inputs);
      const ms = Math.round(performance.now() - savedAt);
      // A save that changed nothing (a touch, the same bytes again) reloads nothing and says nothing.
      if (result.changed.length > 0)
        log({ component: "watch", message: `reloaded ${result.changed.join(", ")}`, files, saveToReadyMs: ms });
    } catch (error) {
      if (!closed)
        log({
          component: "watch",
          message: `build failed after ${files.join(", ") || "a change"}; the functions keep running the last code that built:\n${buildErrorText(error)}`,
        });
    } finally {
      building = false;
    }
  }

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** esbuild's errors as it prints them (file:line:column, the line, a caret), else the message. */
export function buildErrorText(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors;
  if (Array.isArray(errors) && errors.length > 0)
    return formatMessagesSync(errors, { kind: "error", color: false }).join("").trimEnd();
  return error instanceof Error ? error.message : String(error);
}
