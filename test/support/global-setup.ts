/**
 * The DynamoDB API a test project runs against, started once per run on 127.0.0.1 and handed to the
 * tests as `dynamodbEndpoint`: dynalite (in memory, Node) by default; with `engine: "dynamodb-local"`
 * AWS's own DynamoDB Local (see ./dynamodb-local). `TEST_DYNAMODB_ENDPOINT` points every project at a
 * DynamoDB API started by hand instead. Test files create their own uniquely named tables.
 */
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "./dynamodb-local";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    dynamodbEngine: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.TEST_DYNAMODB_ENDPOINT;
  if (given) {
    project.provide("dynamodbEndpoint", given);
    project.provide("dynamodbEngine", `given (${given})`);
    return;
  }
  if (project.config.provide?.dynamodbEngine === "dynamodb-local") {
    const local = await startDynamoDbLocal();
    project.provide("dynamodbEndpoint", local.endpoint);
    project.provide("dynamodbEngine", "dynamodb-local");
    return local.stop;
  }
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("dynamodbEndpoint", `http://127.0.0.1:${port}`);
  project.provide("dynamodbEngine", "dynalite");
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
