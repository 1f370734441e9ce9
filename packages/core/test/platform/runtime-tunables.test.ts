/**
 * The tunables a function reads, apart from the rest so that a Lambda bundle holds only them: the same
 * entries as `TUNABLES`, each read through a variable a function is wired with, parsed the same way.
 */
import { describe, expect, it } from "vitest";
import * as Topology from "@awsomepets/core/platform/topology";
import * as RuntimeTunables from "@awsomepets/core/platform/runtime-tunables";
import * as Tunables from "@awsomepets/core/platform/tunables";

const { parseRuntimeTunable, RUNTIME_TUNABLES, TunableError } = RuntimeTunables;
const names = Object.keys(RUNTIME_TUNABLES) as RuntimeTunables.RuntimeTunableName[];

describe("RUNTIME_TUNABLES", () => {
  it("are exactly the tunables whose variable a function is wired with (Topology.ENV)", () => {
    // Prepare
    const functionVariables = new Set<string>(Object.values(Topology.ENV));
    const readByFunctions = Object.entries(Tunables.TUNABLES)
      .filter(([, spec]) => functionVariables.has(spec.variable))
      .map(([name]) => name);

    // Assert
    expect(names.sort()).toEqual(readByFunctions.sort());
  });

  it.each(names)("%s is the very entry TUNABLES holds", (name) => {
    expect(Tunables.TUNABLES[name]).toBe(RUNTIME_TUNABLES[name]);
  });
});

describe("parseRuntimeTunable", () => {
  it.each(names)("%s: reads as parseTunable reads it (unset, a bound, out of range)", (name) => {
    const spec = RUNTIME_TUNABLES[name];
    for (const raw of [undefined, "", String(spec.min), String(spec.max)])
      expect(parseRuntimeTunable(name, raw)).toBe(Tunables.parseTunable(name, raw));
    const outOfRange = String(spec.max + 1);
    expect(() => parseRuntimeTunable(name, outOfRange)).toThrow(TunableError);
    expect(() => parseRuntimeTunable(name, outOfRange)).toThrow(`${spec.variable}="${outOfRange}" is not allowed`);
  });
});
