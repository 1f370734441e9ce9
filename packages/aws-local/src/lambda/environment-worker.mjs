// The entry of one execution environment (a worker thread, with a module graph of its own). Plain
// JavaScript because nothing loads TypeScript here yet: it caches compiled code on disk (a cold start
// costs about half as much with it), registers tsx, then runs the TypeScript side.
import module from "node:module";
import { register } from "tsx/esm/api";

module.enableCompileCache?.();
register();
await import("./environment-runtime.ts");
