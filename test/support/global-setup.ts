/**
 * One dynalite (a real DynamoDB API, in memory) for the whole run, on 127.0.0.1. Test files create
 * their own uniquely named tables in it, so they can run in parallel.
 */
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("dynamodbEndpoint", `http://127.0.0.1:${port}`);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
