/**
 * Builds the package a consumer installs into packages/client/dist: index.js, one ES module bundled
 * from src/ by esbuild (a browser loads it with no bundler; bundlers still shake it: named exports,
 * `sideEffects: false`), and the `.d.ts` files tsc emits from the same sources (tsconfig.build.json).
 * `npm test` runs it first (`npm run build:client`), so the published shape is tested on every run.
 *
 *   tsx packages/client/build.ts [--out <dir>]   (default: packages/client/dist)
 */
import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

export const CLIENT_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const DIST = path.join(CLIENT_ROOT, "dist");
const TSC = path.join(CLIENT_ROOT, "..", "..", "node_modules", "typescript", "bin", "tsc");

/** The browsers and Node the built module is written for (the package README's support matrix). */
export const TARGET = ["es2020", "chrome91", "firefox90", "safari15", "node22"];

export async function buildClient(outDir = DIST): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await build({
    // Paths in the module's comments relative to the package (`src/order-api.ts`), not the builder's folders.
    absWorkingDir: CLIENT_ROOT,
    entryPoints: [path.join(CLIENT_ROOT, "src", "index.ts")],
    outfile: path.join(outDir, "index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: TARGET,
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    // The sources need nothing of the workspace's tsconfig (whose ES2023 target this esbuild does not know).
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  });
  const tsc = spawnSync(
    process.execPath,
    [TSC, "-p", path.join(CLIENT_ROOT, "tsconfig.build.json"), "--outDir", outDir],
    {
      encoding: "utf8",
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc could not emit the package's declarations:\n${tsc.stdout}${tsc.stderr}`);
}

const USAGE = `Usage: npm run build:client [-- --out <dir>]

Builds @awsomepets/client into <dir> (default: packages/client/dist): dist/index.js and its .d.ts files.`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  let values: { out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { out: { type: "string" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    console.error(`build:client: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  await buildClient(values.out ? path.resolve(values.out) : DIST);
  console.log(`build:client: wrote ${path.relative(process.cwd(), values.out ?? DIST) || "."}`);
}
