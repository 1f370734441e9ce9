/**
 * The package as another team meets it: built (packages/client/build.ts), packed with `npm pack`,
 * installed from the tarball into a fresh folder outside the workspace (`npm install --offline`: it
 * has no dependency), then used by a plain Node 22 ES module and by a plain HTML page in Chromium,
 * each placing an order on the local runtime and following it to its end, and typechecked by a strict
 * TypeScript consumer. Also: what the tarball holds and declares, and the size budget of watchOrder.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing, launchChromium, warnIfChromiumMissing } from "@test-support/chromium";
import { ROOT, startTestRuntime } from "@test-support/local-runtime";
import { buildClient, CLIENT_ROOT } from "../build";

/** The budget for a page that imports only watchOrder: minified, then gzipped. */
const WATCH_ORDER_BUDGET_BYTES = 6 * 1024;

const run = promisify(execFile);
const NODE_22 = path.join(ROOT, "node_modules", ".bin", "node");
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const FIXTURES = path.join(import.meta.dirname, "consumer");
const ORDER_PATH = ["placed", "reserved", "paid", "completed"];

warnIfChromiumMissing("@awsomepets/client in a plain page");

let scratch: string;
let consumer: string;
let packed: { filename: string; files: { path: string }[] };
let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
beforeAll(async () => {
  await buildClient();
  scratch = mkdtempSync(path.join(tmpdir(), "client-package-"));
  const pack = await run("npm", ["pack", CLIENT_ROOT, "--json", "--pack-destination", scratch], { cwd: scratch });
  packed = JSON.parse(pack.stdout)[0];
  // Outside the workspace: no workspace node_modules, .npmrc or tsconfig above it.
  consumer = path.join(scratch, "consumer");
  await run("mkdir", [consumer]);
  writeFileSync(
    path.join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  const tarball = path.join(scratch, packed.filename);
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: consumer });
  for (const file of ["follow-order.mjs", "consumer.ts", "index.html", "page.js"])
    copyFileSync(path.join(FIXTURES, file), path.join(consumer, file));
  // The consumer's folder is the site: its page next to the order API, as the stage's CloudFront serves it.
  runtime = await startTestRuntime({}, { webRoot: consumer });
}, 120_000);
afterAll(async () => {
  await runtime?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const installed = () => path.join(consumer, "node_modules", "@awsomepets", "client");

describe("the tarball", () => {
  it("holds the build, the README and the CHANGELOG: no TypeScript source", () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toContain("dist/index.js");
    expect(files).toContain("dist/index.d.ts");
    expect(files).toEqual(expect.arrayContaining(["README.md", "CHANGELOG.md", "package.json"]));
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    // esbuild names each source in a comment: relative to the package, never the builder's folders.
    const js = readFileSync(path.join(installed(), "dist", "index.js"), "utf8");
    expect(js.match(/^\/\/ .*\.ts$/gm)?.filter((line) => !/^\/\/ src\/[\w.-]+\.ts$/.test(line))).toEqual([]);
    expect(
      files.filter((f) => !/^(dist\/[\w.-]+\.(js|d\.ts)|README\.md|CHANGELOG\.md|package\.json)$/.test(f)),
    ).toEqual([]);
  });

  it("declares no dependency, and exports types and JavaScript only", () => {
    const manifest = JSON.parse(readFileSync(path.join(installed(), "package.json"), "utf8"));
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"])
      expect(manifest[field], field).toBeUndefined();
    expect(manifest).toMatchObject({ version: "1.0.0", type: "module", sideEffects: false });
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
    const targets = JSON.stringify(manifest.exports).match(/"\.\/[^"]+"/g) ?? [];
    expect(targets.filter((t) => /\.ts"$/.test(t) && !/\.d\.ts"$/.test(t))).toEqual([]);
  });

  it(`keeps a page that imports only watchOrder within ${WATCH_ORDER_BUDGET_BYTES} bytes, minified and gzipped`, async () => {
    const gzipped = async (names: string) => {
      const result = await build({
        stdin: { contents: `export { ${names} } from "@awsomepets/client";`, resolveDir: consumer },
        bundle: true,
        minify: true,
        format: "esm",
        write: false,
        logLevel: "silent",
      });
      return gzipSync(result.outputFiles[0]!.contents).length;
    };
    const watchOrderOnly = await gzipped("watchOrder");
    const everything = await gzipped("watchOrder, placeOrder, getOrder, getCatalogue, OrderTimeline");
    console.log(`@awsomepets/client: watchOrder ${watchOrderOnly} B, every function ${everything} B (min+gzip)`);
    expect(watchOrderOnly).toBeLessThanOrEqual(WATCH_ORDER_BUDGET_BYTES);
    expect(watchOrderOnly).toBeLessThan(everything); // the order API is shaken out of a page that does not use it
  });
});

describe("a consumer", () => {
  it("places an order and follows it to its end from a plain Node 22 ES module", async () => {
    const { stdout } = await run(NODE_22, ["follow-order.mjs", runtime.state.endpoints.http], {
      cwd: consumer,
      timeout: 60_000,
    });
    const followed = JSON.parse(stdout) as { statuses: string[]; seqs: number[] };
    expect(followed.statuses).toEqual(ORDER_PATH);
    expect([...followed.seqs].sort()).toEqual([1, 2, 3, 4]);
  }, 90_000);

  it("typechecks under tsc --strict with moduleResolution nodenext, against the .d.ts only", async () => {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2022", "dom"],
        types: [],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
      },
      files: ["consumer.ts"],
    };
    writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = await run(NODE_22, [TSC, "-p", "tsconfig.json", "--listFiles"], { cwd: consumer }).catch(
      (error: { stdout: string }) => {
        throw new Error(`tsc found errors:\n${error.stdout}`);
      },
    );
    const read = tsc.stdout.split("\n").filter((f) => f.includes("@awsomepets/client"));
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((f) => f.endsWith(".d.ts"))).toBe(true);
  }, 60_000);

  it.skipIf(chromiumMissing)(
    "places and follows an order from a plain HTML page's <script type=module>, no bundler",
    async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        // Every failed load is a response below; the browser's own ask for /favicon.ico is not the page's.
        page.on("response", (r) => {
          if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${r.status()} ${r.url()}`);
        });
        page.on("console", (m) => {
          if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
        });
        page.on("pageerror", (e) => void errors.push(e.message));
        await page.goto(`${runtime.state.endpoints.http}/index.html`);
        await page.waitForSelector("#out[data-finished=true]", { timeout: 30_000 });
        expect(await page.textContent("#out")).toBe(ORDER_PATH.join(", "));
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
