/**
 * Builds the order tracker page into a folder: index.html, styles.css and app.js (one esbuild bundle,
 * the order API's URL and the callback WebSocket's URL injected at build time). `sst deploy` runs it
 * with API_URL="{{ API_URL }}" and WEBSOCKET_URL="{{ WEBSOCKET_URL }}", which SST replaces in the
 * uploaded files — so each value must reach app.js as one plain string literal.
 *
 * With `--hash-names` (the deploy) the script and stylesheet are named after their content
 * (app.<hash>.js, styles.<hash>.css) and index.html is rewritten to load those names: the CDN and
 * browsers may keep them for a year, and a redeployed page (index.html, never cached) loads the new ones.
 *
 *   tsx packages/web/build.ts [--out <dir>] [--api-url <url>] [--websocket-url <url>] [--hash-names]
 *   (defaults: packages/web/dist, $API_URL or "", $WEBSOCKET_URL or "", fixed names)
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const WEB_ROOT = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(WEB_ROOT, "dist");
const STATIC_FILES = ["index.html", "styles.css"];
/** The files index.html loads, which get content-hashed names. */
const HASHED_ASSETS = ["app.js", "styles.css"];
const HASH_LENGTH = 12;

export const hashedName = (file: string, content: Buffer | string) => {
  const ext = path.extname(file);
  const hash = createHash("sha256").update(content).digest("hex").slice(0, HASH_LENGTH);
  return `${path.basename(file, ext)}.${hash}${ext}`;
};
const isHashedAsset = (file: string) =>
  HASHED_ASSETS.some((asset) => {
    const ext = path.extname(asset);
    return new RegExp(`^${path.basename(asset, ext)}\\.[0-9a-f]{${HASH_LENGTH}}\\${ext}$`).test(file);
  });

/**
 * Renames each asset after its content and points index.html's `src`/`href` at the new names.
 * An asset index.html does not load is an error: the page would be deployed without it.
 */
async function hashAssetNames(outDir: string) {
  const indexFile = path.join(outDir, "index.html");
  let html = await readFile(indexFile, "utf8");
  for (const asset of HASHED_ASSETS) {
    const name = hashedName(asset, await readFile(path.join(outDir, asset)));
    const reference = new RegExp(`((?:src|href)=["'])(?:\\./)?${asset.replace(".", "\\.")}(["'])`, "g");
    if (!reference.test(html)) throw new Error(`index.html does not load ${asset}; cannot give it a hashed name`);
    html = html.replace(reference, `$1${name}$2`);
    await rename(path.join(outDir, asset), path.join(outDir, name));
  }
  await writeFile(indexFile, html);
}

export async function buildWebPage(options: {
  outDir: string;
  apiUrl: string;
  websocketUrl: string;
  hashNames?: boolean;
}): Promise<void> {
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  // Hashed names of earlier builds would otherwise pile up in the folder and be uploaded again.
  for (const file of await readdir(outDir)) if (isHashedAsset(file)) await rm(path.join(outDir, file));
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
    // config.ts reads these globals; JSON.stringify makes each a string literal that minification keeps whole.
    define: {
      __AWSOMEPETS_API_URL__: JSON.stringify(options.apiUrl),
      __AWSOMEPETS_WEBSOCKET_URL__: JSON.stringify(options.websocketUrl),
    },
    // The repository tsconfig targets ES2023, which this esbuild does not know; the page needs none of it
    // but its `paths` entry: in the workspace the client package is its sources (docs/decisions/client-package.md).
    tsconfigRaw: {},
    alias: { "@awsomepets/client": path.join(WEB_ROOT, "..", "client", "src", "index.ts") },
  });
  for (const file of STATIC_FILES) await copyFile(path.join(WEB_ROOT, file), path.join(outDir, file));
  if (options.hashNames) await hashAssetNames(outDir);
}

const runDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (runDirectly) {
  const usage = `Usage: npm run build:web -- [--out <dir>] [--api-url <url>] [--websocket-url <url>] [--hash-names]
  Builds the order tracker page.
  --out <dir>            output folder (default packages/web/dist)
  --api-url <url>        the order API's URL (default $API_URL, else same origin)
  --websocket-url <url>  the callback WebSocket's URL, wss://host/stage (default $WEBSOCKET_URL); the
                         page opens order links to this URL only (none at all without it)
  --hash-names           name the script and stylesheet after their content (app.<hash>.js,
                         styles.<hash>.css) and load those from index.html, as the deploy does
  -h, --help             this help`;
  const values = (() => {
    try {
      return parseArgs({
        options: {
          out: { type: "string" },
          "api-url": { type: "string" },
          "websocket-url": { type: "string" },
          "hash-names": { type: "boolean", default: false },
          help: { type: "boolean", short: "h" },
        },
      }).values;
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
  const websocketUrl = values["websocket-url"] ?? process.env.WEBSOCKET_URL ?? "";
  await buildWebPage({ outDir, apiUrl, websocketUrl, hashNames: values["hash-names"] });
  console.log(
    `Order tracker page built into ${outDir} (API: ${apiUrl || "same origin"}; WebSocket: ${websocketUrl || "none: order links are refused"})`,
  );
}
