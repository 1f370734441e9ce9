/**
 * Each handler module bundled into one JavaScript file, as `sst deploy` bundles it with esbuild, but
 * with every installed package left out and imported from where it is installed (an absolute path,
 * resolved as esbuild resolves it for the importing file, so each file keeps the version it would get).
 * Only the app's own TypeScript (relative imports and workspace packages) is bundled: a fraction of a
 * second for every handler, and an execution environment then loads plain JavaScript, with no
 * TypeScript loader in it — its cold start costs a third to a quarter of one through tsx.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";

const BUILTINS = new Set(builtinModules);

/** Installed packages stay outside the bundle, imported by absolute path; the app's own sources go in. */
const installedPackagesOutside: Plugin = {
  name: "installed-packages-outside",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === "resolving") return undefined;
      if (args.path.startsWith("node:") || BUILTINS.has(args.path.split("/")[0]!))
        return { path: args.path, external: true };
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: "resolving",
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return resolved.path.split(path.sep).includes("node_modules")
        ? { path: resolved.path, external: true }
        : { path: resolved.path };
    });
  },
};

export type HandlerBundle = {
  file: string;
  exports: string[];
  /**
   * Absolute paths of the source files its entry imports, directly or not (installed packages excluded): what to watch.
   */
  inputs: string[];
  /**
   * Of the paths and contents of every source file its entry imports, directly or not: equal hashes
   * mean an environment would run the same code. Not of the bundle's bytes: with many entry points,
   * esbuild's output (module order, which unused modules are shaken out) varies from build to build.
   */
  hash: string;
};

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
      const output = metafile.outputs[path.relative(process.cwd(), file)];
      const inputs = importGraph(metafile.inputs, path.relative(process.cwd(), entry)).map((input) =>
        path.resolve(input),
      );
      const hash = createHash("sha256");
      for (const input of [...inputs].sort()) hash.update(input).update("\0").update(readFileSync(input)).update("\0");
      return [entry, { file, exports: output?.exports ?? [], inputs, hash: hash.digest("hex") }];
    }),
  );
}

/** The entry and every bundled file it imports, directly or not (as the metafile names them). */
function importGraph(inputs: Metafile["inputs"], entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !inputs[file]) return;
    seen.add(file);
    for (const imported of inputs[file].imports) if (!imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

function commonDirectory(files: string[]) {
  const parts = files.map((file) => path.dirname(file).split(path.sep));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => p[i] !== undefined && p[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  return common.join(path.sep) || path.sep;
}
