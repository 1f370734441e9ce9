/**
 * The local DynamoDB API: dynalite (a real implementation of DynamoDB's HTTP API on LevelDB), in
 * memory or persisted with `--data-dir`, with every table created from the core definitions.
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import { listen } from "@awsomepets/aws-local/http/listen";

/** How long close() waits for dynalite to answer what it holds (a few thousand queued writes take well under this). */
const CLOSE_DRAIN_TIMEOUT_MS = 5_000;

export type TableDefinition = {
  name: string;
  create: (tableName: string) => ConstructorParameters<typeof CreateTableCommand>[0];
};

export async function startDynamoDB(options: { port: number; dataDir?: string; tables: TableDefinition[] }) {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // In memory, dynalite keeps each key and value as a small Buffer, which Node cuts from a shared 8 KB
  // slab: one live item pins the whole slab, ~4 KB per item (8 MB of external memory per 2,000 items
  // measured here, 0.6 MB without the pool). No pool: each Buffer is its own size. Process-wide, but
  // this process's other Buffers are few and short-lived.
  else Buffer.poolSize = 0;
  const server = dynalite({ path: options.dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let requests = 0;
  // Requests dynalite has not answered yet. Its close() closes the database once no connection is
  // left, but a request whose caller went away (a worker stopped mid-write, an aborted call) may still
  // wait in its per-item lock queue; run later, it finds the database closed and dynalite throws that
  // from its request handler, uncaught (v4.0.0). So close() first waits for every answer; dynalite
  // has no hook for it, and it answers every request with `end()`, which is counted here.
  let unanswered = 0;
  let onAnswered = () => {};
  server.on("request", (_request, response) => {
    requests++;
    unanswered++;
    const end = response.end;
    response.end = function (this: typeof response, ...args: Parameters<typeof end>) {
      unanswered--;
      onAnswered();
      return end.apply(this, args);
    } as typeof end;
  });
  const answered = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs); // a request dynalite failed on is never answered
      onAnswered = () => {
        if (unanswered !== 0) return;
        clearTimeout(timer);
        resolve();
      };
      onAnswered();
    });
  await listen(server, options.port, "DynamoDB API");
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    for (const table of options.tables) {
      try {
        await client.send(new CreateTableCommand(table.create(table.name)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error; // kept from an earlier run (--data-dir)
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    requests: () => requests,
    close: async () => {
      await answered(CLOSE_DRAIN_TIMEOUT_MS);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
