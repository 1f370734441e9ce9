/**
 * Prints one closing line, `tests: N passed, N failed, N skipped`, that CI systems which do not
 * know vitest's own summary can read. Counts every test of every file.
 */
import type { Reporter, RunnerTask, RunnerTestFile } from "vitest/node";

function count(tasks: RunnerTask[], totals: { passed: number; failed: number; skipped: number }) {
  for (const task of tasks) {
    if (task.type === "suite") count(task.tasks, totals);
    else if (task.mode === "skip" || task.mode === "todo" || task.result?.state === "skip") totals.skipped++;
    else if (task.result?.state === "pass") totals.passed++;
    else totals.failed++;
  }
  return totals;
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []) {
    const totals = count(files, { passed: 0, failed: 0, skipped: 0 });
    // A file that failed to load, or an unhandled error, is a failure even if no test is.
    const fileFailures = files.filter((f) => f.result?.state === "fail" && f.tasks.length === 0).length;
    totals.failed += fileFailures + errors.length;
    process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
