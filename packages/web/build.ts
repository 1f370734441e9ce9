/**
 * Builds the order tracker page into a folder: index.html, styles.css and app.js (one esbuild bundle,
 * the API URL injected at build time). `sst deploy` runs it with API_URL="{{ API_URL }}", which SST
 * replaces in the uploaded files — so the value must reach app.js as one plain string literal.
 *
 *   tsx packages/web/build.ts [--out <dir>] [--api-url <url>]     (defaults: packages/web/dist, $API_URL or "")
 */
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const WEB_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(WEB_ROOT, "dist");
const STATIC_FILES = ["index.html", "styles.css"];

export async function buildWebPage(options: { outDir: string; apiUrl: string }): Promise<void> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(WEB_ROOT, "src", "main.ts")],
    outfile: path.join(outDir, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2020"],
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    // config.ts reads this global; JSON.stringify makes it a string literal that minification keeps whole.
    define: { __AWSOMEPETS_API_URL__: JSON.stringify(options.apiUrl) },
    // The repository tsconfig targets ES2023, which this esbuild does not know; the page needs none of it.
    tsconfigRaw: {},
  });
  for (const file of STATIC_FILES) await copyFile(path.join(WEB_ROOT, file), path.join(outDir, file));
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (runDirectly) {
  const usage = `Usage: npm run build:web -- [--out <dir>] [--api-url <url>]
  Builds the order tracker page.
  --out <dir>      output folder (default packages/web/dist)
  --api-url <url>  the order API's URL (default $API_URL, else same origin)
  -h, --help       this help`;
  const values = (() => {
    try {
      return parseArgs({ options: { out: { type: "string" }, "api-url": { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
    } catch (error) {
      console.error(`build:web: ${(error as Error).message}\n${usage}`);
      process.exit(2);
    }
  })();
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const outDir = path.resolve(values.out ?? DEFAULT_OUT_DIR);
  const apiUrl = values["api-url"] ?? process.env.API_URL ?? "";
  await buildWebPage({ outDir, apiUrl });
  console.log(`Order tracker page built into ${outDir} (API: ${apiUrl || "same origin"})`);
}
