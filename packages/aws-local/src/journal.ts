/**
 * A folder of small JSON files, one per entry, so that work in flight (running executions, queued
 * deliveries) survives the process: written before the work is acknowledged, removed once it is
 * done, read back at start. Each write goes to a temporary file and is renamed into place, so a
 * crash leaves the old or the new entry, never half of one.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface Journal<T> {
  put(id: string, entry: T): void;
  remove(id: string): void;
  /** Every entry left, oldest write first. */
  list(): T[];
}

export function directoryJournal<T>(dir: string): Journal<T> {
  mkdirSync(dir, { recursive: true });
  // Ids are ARNs and event ids; a hash keeps file names short and safe.
  const fileOf = (id: string) => path.join(dir, `${createHash("sha256").update(id).digest("hex").slice(0, 32)}.json`);
  return {
    put(id, entry) {
      const file = fileOf(id);
      writeFileSync(`${file}.tmp`, JSON.stringify(entry));
      renameSync(`${file}.tmp`, file);
    },
    remove(id) {
      rmSync(fileOf(id), { force: true });
    },
    list() {
      const entries: Array<{ entry: T; order: number }> = [];
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (name.endsWith(".tmp")) {
          rmSync(file, { force: true }); // a write the crash interrupted; its entry was not yet promised
          continue;
        }
        if (!name.endsWith(".json")) continue;
        try {
          entries.push({ entry: JSON.parse(readFileSync(file, "utf8")) as T, order: statSync(file).mtimeMs });
        } catch {
          // Unreadable: skipped, and kept for a human to look at.
        }
      }
      return entries.sort((a, b) => a.order - b.order).map((e) => e.entry);
    },
  };
}

/** A journal that keeps nothing: state in memory only. */
export const noJournal = <T>(): Journal<T> => ({ put() {}, remove() {}, list: () => [] });
