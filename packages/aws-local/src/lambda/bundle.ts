/**
 * Each handler module bundled into one JavaScript file, as `sst deploy` bundles it with esbuild, but
 * with every installed package left out and imported from where it is installed (an absolute path,
 * resolved as esbuild resolves it for the importing file, so each file keeps the version it would get).
 * Only the app's own TypeScript (relative imports and workspace packages) is bundled: a fraction of a
 * second for every handler, and an execution environment then loads plain JavaScript, with no
 * TypeScript loader in it — its cold start costs a third to a quarter of one through tsx.
 */
import { builtinModules } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";

const BUILTINS = new Set(builtinModules);

/** Installed packages stay outside the bundle, imported by absolute path; the app's own sources go in. */
const installedPackagesOutside: Plugin = {
  name: "installed-packages-outside",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      if (args.path.startsWith("node:") || BUILTINS.has(args.path.split("/")[0]!)) return { path: args.path, external: true };
      const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "resolving" });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return resolved.path.split(path.sep).includes("node_modules") ? { path: resolved.path, external: true } : { path: resolved.path };
    });
  },
};

export type HandlerBundle = { file: string; exports: string[] };

/**
 * Bundles each module into `outdir`; returns each one's bundle and the names it exports, by the
 * module's path. A module that does not compile, or imports what is not installed, fails here.
 */
export async function bundleHandlers(modules: string[], outdir: string): Promise<Record<string, HandlerBundle>> {
  const entries = [...new Set(modules)];
  const outbase = commonDirectory(entries);
  const { metafile } = await build({
    entryPoints: entries,
    outdir,
    outbase,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // Node picks `main` for a package without `exports`, as the handlers' imports do today.
    mainFields: ["main"],
    // Node's own export conditions (node, import, default). Without a list, esbuild also matches the
    // bundlers' `module` condition, which in @smithy/core names ESM files Node itself cannot load.
    conditions: ["node"],
    outExtension: { ".js": ".mjs" },
    sourcemap: "inline",
    logLevel: "silent",
    metafile: true,
    plugins: [installedPackagesOutside],
  });
  return Object.fromEntries(
    entries.map((entry) => {
      const file = path.join(outdir, path.relative(outbase, entry)).replace(/\.[cm]?tsx?$/, ".mjs");
      return [entry, { file, exports: metafile.outputs[path.relative(process.cwd(), file)]?.exports ?? [] }];
    }),
  );
}

function commonDirectory(files: string[]) {
  const parts = files.map((file) => path.dirname(file).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => p[i] !== undefined && p[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  return common.join(path.sep) || path.sep;
}
