/**
 * The operator commands as processes (through tsx, as `npm run` starts them) against the real local
 * runtime started in this test process. The callback target fails on demand (interceptTarget), as
 * a broken deploy or a missing table would make it fail, so statuses really end as dead letters.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import * as OrderStatus from "@awsomepets/core/status/event";
import { names } from "../../../src/runtime/start-runtime";
import { cliEnv, newOrderId, openSocket, runCli, startRuntimeWithStateFile, TOKEN_SECRET } from "../../support/cli";

let runtime: Awaited<ReturnType<typeof startRuntimeWithStateFile>>;
let env: NodeJS.ProcessEnv;
let events: EventBridgeClient;
/** While true, every callback delivery fails (and is retried, then dead-lettered). */
let callbackDown = false;
/** The events the callback target was given, for the replay's `replay-name`. */
const delivered: any[] = [];

beforeAll(async () => {
  runtime = await startRuntimeWithStateFile({
    interceptTarget: async ({ rule }, event, invoke) => {
      if (rule !== "OrderStatusToCallback") return invoke();
      delivered.push(event);
      if (callbackDown) throw new Error("callback target down (test)");
      return invoke();
    },
  });
  env = cliEnv({ LOCAL_RUNTIME_STATE_FILE: runtime.stateFile });
  events = new EventBridgeClient({
    endpoint: runtime.state.endpoints.events,
    region: "us-east-1",
    credentials: { accessKeyId: "l", secretAccessKey: "l" },
  });
});
afterAll(async () => {
  events?.destroy();
  await runtime?.close();
});

async function publish(orderId: string, status: OrderStatus.Status = "placed") {
  const detail = { orderId, status, occurredAt: new Date().toISOString() } as OrderStatus.StatusRecord;
  const { FailedEntryCount } = await events.send(
    new PutEventsCommand({ Entries: [OrderStatus.toPutEventsEntry(detail, runtime.state.eventBusName)] }),
  );
  expect(FailedEntryCount).toBe(0);
  await runtime.events.idle();
}

/** A socket for the order that has synced: statuses recorded from now on arrive as frames 2, 3, … */
async function watcher(orderId: string) {
  const token = CallbackToken.sign({ orderId, stage: runtime.state.stage, secret: TOKEN_SECRET });
  const client = await openSocket(
    CallbackToken.callbackUrl({ websocketUrl: runtime.state.endpoints.websocket, orderId, token }),
  );
  client.send({ action: "sync", orderId, after: 0 });
  await client.next(1);
  return client;
}

const callbackDeadLetters = (orderId: string) =>
  runtime.events
    .deadLetters()
    .filter((d) => d.ruleName === "OrderStatusToCallback" && d.event.detail.orderId === orderId);

describe("redrive", () => {
  it("brings a status forced to the dead-letter log back to the client; --dry-run changes nothing", async () => {
    // Prepare: a watching client, and a status whose delivery fails until its retries run out
    const orderId = newOrderId();
    const client = await watcher(orderId);
    try {
      callbackDown = true;
      await publish(orderId);
      callbackDown = false;
      expect(callbackDeadLetters(orderId)).toHaveLength(1);
      expect(client.frames).toHaveLength(1);

      // Act: a dry run
      const dry = await runCli("ops/redrive", ["--dry-run"], env);
      await runtime.events.idle();
      // Assess: listed, nothing changed
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`would redrive OrderStatusToCallback ${orderId} placed (RetryAttemptsExhausted)`);
      expect(callbackDeadLetters(orderId)).toHaveLength(1);
      expect(client.frames).toHaveLength(1);

      // Act: the redrive
      const result = await runCli("ops/redrive", [], env);
      await runtime.events.idle();
      // Assess: the client has the status, the dead letter is gone
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`redriven OrderStatusToCallback ${orderId} placed`);
      const frames = await client.next(2);
      expect(frames[1]).toMatchObject({ type: "status", orderId, status: "placed", seq: 1 });
      expect(callbackDeadLetters(orderId)).toHaveLength(0);
    } finally {
      callbackDown = false;
      await client.close();
    }
  });
});

describe("pending", () => {
  it("lists statuses nobody received, oldest first, until a client syncs", async () => {
    // Prepare: two orders nobody watches
    const [first, second] = [newOrderId(), newOrderId()];
    await publish(first);
    await publish(second, "paid");
    // Act
    const listed = await runCli("ops/pending", ["--json"], env);
    // Assess
    expect(listed.code).toBe(0);
    const entries = (JSON.parse(listed.stdout) as Array<{ orderId: string; status: string }>).filter(
      (e) => e.orderId === first || e.orderId === second,
    );
    expect(entries.map((e) => [e.orderId, e.status])).toEqual([
      [first, "placed"],
      [second, "paid"],
    ]);

    // Act: a client of the first order syncs (receives its status)
    const client = await openSocket(
      CallbackToken.callbackUrl({
        websocketUrl: runtime.state.endpoints.websocket,
        orderId: first,
        token: CallbackToken.sign({ orderId: first, stage: runtime.state.stage, secret: TOKEN_SECRET }),
      }),
    );
    client.send({ action: "sync", orderId: first, after: 0 });
    await client.next(2);
    await client.close();
    const table = await runCli("ops/pending", [], env);
    // Assess: the plain table no longer lists it, still lists the other
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RECORDED AT +ORDER ID +STATUS +SEQ +OCCURRED AT\n/);
    expect(table.stdout).not.toContain(first);
    expect(table.stdout).toMatch(new RegExp(`Z  ${second}  paid +1  `));
  });
});

describe("replay", () => {
  it("re-delivers the archived events of a time range, marked with the replay's name", async () => {
    // Prepare: a status that never reached the callback target (its deliveries all failed)
    const orderId = newOrderId();
    const from = new Date(Date.now() - 1000);
    callbackDown = true;
    await publish(orderId, "reserved");
    callbackDown = false;
    const to = new Date(Date.now() + 1000);
    const client = await watcher(orderId);
    try {
      expect(client.frames).toHaveLength(1);
      // Act
      const result = await runCli(
        "ops/replay",
        ["--from", from.toISOString(), "--to", to.toISOString(), "--name", `t-${orderId}`, "--wait"],
        env,
      );
      await runtime.events.idle();
      // Assess
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`replay t-${orderId}: COMPLETED`);
      const frames = await client.next(2);
      expect(frames[1]).toMatchObject({ type: "status", orderId, status: "reserved" });
      expect(delivered.filter((e) => e.detail.orderId === orderId).at(-1)).toMatchObject({
        "replay-name": `t-${orderId}`,
      });
    } finally {
      await client.close();
    }
  });
});

describe("erase-order", () => {
  /** The items of the order in the runtime's two tables, found by scanning them (not through the code under test). */
  async function itemsOf(orderId: string) {
    const local = {
      endpoint: runtime.state.endpoints.dynamodb,
      region: "us-east-1",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
    };
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(local));
    try {
      const scan = async (TableName: string) =>
        (await client.send(new ScanCommand({ TableName, ConsistentRead: true }))).Items ?? [];
      const tables = names("test");
      const orders = (await scan(tables.ordersTable))
        .filter((item) => item.orderId === orderId)
        .map((item) => String(item.pk).split("#")[0]);
      const callbacks = (await scan(tables.clientCallbackTable))
        .filter((item) => item[CallbackTable.PARTITION_KEY] === orderId)
        .map(() => "callback");
      return [...orders, ...callbacks].sort();
    } finally {
      client.destroy();
    }
  }

  it("leaves nothing of an ended order in any table (its item, its Idempotency-Key's record, its callback item); run again, says nothing was left", async () => {
    // Prepare: an order placed with an Idempotency-Key, to its end
    const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `erase-${Date.now()}` },
      body: JSON.stringify({
        basket: [{ sku: "DOG-LAB", quantity: 1 }],
        paymentDetail: { cardToken: "tok_visa" },
        shippingAddress: {
          name: "Ana Silva",
          line1: "1 Rua Augusta",
          city: "Lisboa",
          postalCode: "1100-048",
          country: "PT",
        },
      }),
    });
    const { orderId, clientCallbackUrl } = (await response.json()) as { orderId: string; clientCallbackUrl: string };
    await runtime.stepFunctions.idle();
    await runtime.events.idle();
    expect(await itemsOf(orderId)).toEqual(["callback", "idempotency", "order"]);

    // Act
    const first = await runCli("ops/erase-order", ["--order-id", orderId], env);
    const second = await runCli("ops/erase-order", ["--order-id", orderId, "--json"], env);

    // Assess
    const tables = names("test");
    expect([first.code, first.stderr]).toEqual([0, ""]);
    expect(first.stdout).toBe(
      `Erased order ${orderId} (completed): its item in ${tables.ordersTable}, its Idempotency-Key's record in ${tables.ordersTable}, its callback item in ${tables.clientCallbackTable}.\n`,
    );
    expect(await itemsOf(orderId)).toEqual([]);
    expect([second.code, JSON.parse(second.stdout)]).toEqual([
      0,
      { orderId, removed: { order: false, idempotencyRecord: false, callbackItem: false }, idempotencyKeyKnown: false },
    ]);
    const token = new URL(clientCallbackUrl).searchParams.get("token");
    const view = await fetch(`${runtime.state.endpoints.http}/orders/${orderId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(view.status).toBe(404);
  });

  it("answers an order id that is not a UUID, or none, with one line first and exit 2", async () => {
    const notUuid = await runCli("ops/erase-order", ["--order-id", "nope"], env);
    expect([notUuid.code, notUuid.stderr]).toEqual([2, `erase-order: --order-id must be a UUID, got "nope"\n`]);
    const missing = await runCli("ops/erase-order", [], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split("\n")[0]).toBe("erase-order: --order-id is required");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("usage", () => {
  // --help and unknown options of each command, through `npm run`: ../parse-flags.help.test.ts.

  it("says in one line, exit 1, that no runtime runs, or that a stage has no credentials", async () => {
    // Prepare
    const empty = path.join(runtime.dir, "empty-aws-file");
    writeFileSync(empty, "");
    const noCredentials = cliEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONFIG_FILE: empty,
      AWS_SHARED_CREDENTIALS_FILE: empty,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    // Act
    const noRuntime = await runCli(
      "ops/pending",
      [],
      cliEnv({ LOCAL_RUNTIME_STATE_FILE: path.join(runtime.dir, "none.json") }),
    );
    const stage = await runCli("ops/redrive", ["--stage", "dev", "--dry-run"], noCredentials);
    const erase = await runCli("ops/erase-order", ["--stage", "dev", "--order-id", newOrderId()], noCredentials);
    // Assess
    expect(erase.code).toBe(1);
    expect(erase.stderr).toMatch(/^erase-order: No AWS credentials found .*\n$/);
    expect([noRuntime.code, noRuntime.stderr]).toEqual([
      1,
      "pending: No local runtime is running (start it with `npm start`)\n",
    ]);
    expect(stage.code).toBe(1);
    expect(stage.stderr).toMatch(/^redrive: No AWS credentials found .*\n$/);
  });
  it("answers a usage error with one line first and exit 2, no stack trace", async () => {
    const result = await runCli("ops/replay", ["--from", "yesterday"], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `replay: --from must be an ISO-8601 time (e.g. 2026-11-26T10:00:00Z), got "yesterday"\n`,
    );
    const stray = await runCli("ops/redrive", ["--region", "eu-west-1"], env);
    expect(stray.code).toBe(2);
    expect(stray.stderr.split("\n")[0]).toBe("redrive: --region only apply with --stage");
  });
});
