/**
 * Every function's `nodejs` bundle options, in one place: sst.config.ts sets them as the default
 * function props and bench/metrics/bundles.ts builds with exactly these (a module of its own so that
 * the benchmark need not load the stacks). Minified, with the AWS SDK kept in the bundle: marking
 * `@aws-sdk/*` external made import slower here (many small CJS files) — see bench/RESULTS.md.
 */
export const FUNCTION_NODEJS_PROPS = { format: "esm", minify: true } as const;
