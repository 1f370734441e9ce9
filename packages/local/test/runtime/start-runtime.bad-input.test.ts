/**
 * Bad input from every side at once — hostile WebSocket frames and query strings, malformed
 * `PutEvents`, hostile `POST /orders` — while a well-formed order flow runs. Nothing may crash, each
 * gets its own clear error, a socket admitted for one order never sees another's data, and the
 * well-formed flow loses nothing. Generation is seeded (BAD_INPUT_SEED replays it).
 */
import { createHmac } from "node:crypto";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as CallbackToken from "@awsomepets/core/callbacks/token";
import type * as Protocol from "@awsomepets/core/callbacks/protocol";
import * as Topology from "@awsomepets/core/platform/topology";
import * as OrderStatus from "@awsomepets/core/status/event";
import { OrderTimeline } from "@awsomepets/client";
import {
  callbackUrl,
  openSocket,
  refusedStatus,
  startTestRuntime,
  TEST_STAGE,
  TOKEN_SECRET,
} from "@test-support/local-runtime";
import { hostileEventRequests } from "../support/hostile-events";
import { hostileFrames, validFrames } from "../support/hostile-frames";
import { hostileOrders } from "../support/hostile-orders";
import { createPrng, seedFrom } from "../support/prng";
import { sagaDetails } from "../support/saga-paths";

const SEED = seedFrom("BAD_INPUT_SEED");
const prng = createPrng(SEED);
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let runtime: Awaited<ReturnType<typeof startTestRuntime>>;
let events: EventBridgeClient;
/** The attacker's order: its socket is admitted for it, and only for it. */
const attackerOrderId = prng.uuid();
let attacker: Awaited<ReturnType<typeof openSocket>>;
/** The well-formed flow: statuses published (twice each) while the attacks run, watched by its own client. */
const goodOrderId = prng.uuid();
const goodDetails = sagaDetails(createPrng(SEED + 1), goodOrderId, Date.UTC(2026, 10, 26, 10));
const goodTimeline = new OrderTimeline(goodOrderId);
let goodSocket: WebSocket;
let goodPublishing: Promise<void>;
const openedSockets: WebSocket[] = [];

const publish = (detail: OrderStatus.StatusRecord) =>
  events.send(
    new PutEventsCommand({
      Entries: [detail, detail].map((d) => OrderStatus.toPutEventsEntry(d, runtime.state.eventBusName)),
    }),
  );

beforeAll(async () => {
  console.log(`bad input: seed=${SEED} (replay with BAD_INPUT_SEED=${SEED})`);
  // These tests send ~100 frames on one socket, one at a time: above the default per-socket rate,
  // which has tests of its own (core: callbacks/admission.test.ts, callbacks/rate-limit.test.ts).
  process.env[Topology.ENV.syncBurst] = "100"; // the most the tunable allows
  process.env[Topology.ENV.syncRatePerSecond] = "20";
  runtime = await startTestRuntime();
  events = new EventBridgeClient({ endpoint: runtime.state.endpoints.events, region: "us-east-1", credentials });
  attacker = await openSocket(callbackUrl(runtime.state.endpoints.websocket, attackerOrderId));
  attacker.send({ action: "sync", orderId: attackerOrderId, after: 0 });
  await attacker.next(1);

  goodSocket = new WebSocket(callbackUrl(runtime.state.endpoints.websocket, goodOrderId));
  goodSocket.on("message", (data) => {
    const update = goodTimeline.apply(JSON.parse(String(data)) as Protocol.ServerFrame);
    if (update.syncNeeded) goodSocket.send(JSON.stringify(goodTimeline.syncRequest()));
  });
  await new Promise<void>((resolve, reject) => {
    goodSocket.once("open", () => resolve());
    goodSocket.once("error", reject);
  });
  goodSocket.send(JSON.stringify(goodTimeline.syncRequest()));
  // All but the last status while the attacks run; the last one after them (see the final test).
  goodPublishing = (async () => {
    for (const detail of goodDetails.slice(0, -1)) {
      await publish(detail);
      await sleep(400);
    }
  })();
});

afterAll(async () => {
  for (const socket of [attacker?.socket, goodSocket, ...openedSockets]) socket?.terminate();
  events?.destroy();
  await runtime?.close();
});

describe("hostile WebSocket frames on an admitted socket", () => {
  it("answers each with its error frame and keeps the socket open", async () => {
    // Prepare
    const frames = hostileFrames(prng, attackerOrderId, goodOrderId);
    const wrong: string[] = [];
    // Act: one at a time, so that each reply belongs to its frame.
    for (const frame of frames) {
      const before = attacker.frames.length;
      attacker.socket.send(frame.data, { binary: frame.binary });
      const reply = (await attacker.next(before + 1, 10_000))[before];
      // Assess
      const codeOk =
        frame.expect === "any_error"
          ? ["bad_request", "unknown_action", "not_subscribed"].includes(reply?.code)
          : reply?.code === frame.expect;
      if (reply?.type !== "error" || !codeOk)
        wrong.push(`${frame.name}: expected ${frame.expect}, got ${JSON.stringify(reply).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect(attacker.socket.readyState).toBe(WebSocket.OPEN);
    expect(frames.length).toBeGreaterThan(50);
  });

  it("answers odd-looking messages that are syncs of its own order, as the seed's $default did", async () => {
    const wrong: string[] = [];
    for (const frame of validFrames(attackerOrderId)) {
      const before = attacker.frames.length;
      attacker.socket.send(frame.data);
      const reply = (await attacker.next(before + 1, 10_000))[before];
      if (reply?.type !== "synced" || reply.orderId !== attackerOrderId)
        wrong.push(`${frame.name}: got ${JSON.stringify(reply).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it("closes a socket that sends invalid UTF-8 (1007) or a frame over 128 KB (1009)", async () => {
    // Prepare
    const url = callbackUrl(runtime.state.endpoints.websocket, attackerOrderId);
    const badUtf8 = await openSocket(url);
    const oversized = await openSocket(url);
    openedSockets.push(badUtf8.socket, oversized.socket);
    // Act
    badUtf8.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    oversized.socket.send("z".repeat(128 * 1024 + 1));
    // Assess
    expect((await badUtf8.closed).code).toBe(1007);
    expect((await oversized.closed).code).toBe(1009);
  });
});

describe("hostile query strings at $connect", () => {
  it("refuses each with 401 or 403, and admits duplicated parameters only for the last order named", async () => {
    // Prepare
    const ws = runtime.state.endpoints.websocket;
    const sign = (orderId: string, options: { stage?: string; secret?: string; now?: Date } = {}) =>
      CallbackToken.sign({
        orderId,
        stage: options.stage ?? TEST_STAGE,
        secret: options.secret ?? TOKEN_SECRET,
        ...(options.now && { now: options.now }),
      });
    const tokenA = sign(attackerOrderId);
    const tokenGood = sign(goodOrderId);
    const expired = sign(attackerOrderId, { now: new Date(Date.now() - 2 * 86_400_000) });
    const forged = `v2.${CallbackToken.keyIdOf(TOKEN_SECRET)}.${Math.floor(Date.now() / 1000) + 3600}.${"A".repeat(43)}`;
    const legacyForged = `${Math.floor(Date.now() / 1000) + 3600}.${"A".repeat(43)}`;
    const otherSecret = sign(attackerOrderId, { secret: "another-secret-0123456789abcdefghijklmnop" });
    const otherStage = sign(attackerOrderId, { stage: "prod" });
    const expiresIn400Days = Math.floor(Date.now() / 1000) + 400 * 86_400;
    const hmac = (data: string) => createHmac("sha256", TOKEN_SECRET).update(data).digest("base64url");
    // Minted by hand (docs/protocol.md) by whoever holds the secret: the signature is right, the expiry is not.
    const overlong = `v2.${CallbackToken.keyIdOf(TOKEN_SECRET)}.${expiresIn400Days}.${hmac(`v2\norder-callback\n${TEST_STAGE}\n${attackerOrderId}\n${expiresIn400Days}`)}`;
    const q = (query: string) => `${ws}?${query}`;
    const randomText = (length: number) =>
      Array.from({ length }, () => String.fromCharCode(prng.int(33, 126))).join("");
    const cases: Array<[string, string, number]> = [
      // API Gateway's 401, before any function runs: `orderId` is the `$connect` authorizer's identity source.
      ["no query", ws, 401],
      ["no orderId", q(`token=${tokenA}`), 401],
      ["empty orderId", q(`orderId=&token=${tokenA}`), 401],
      // Denied by the authorizer: not a UUID (so no later route sees an id that is no order's).
      ["orderId not a UUID", q(`orderId=nope&token=${tokenA}`), 403],
      ["orderId a NUL byte", q(`orderId=%00&token=${tokenA}`), 403],
      ["orderId 8 KB", q(`orderId=${"a".repeat(8192)}&token=${tokenA}`), 403],
      ["no token", q(`orderId=${attackerOrderId}`), 401],
      ["empty token", q(`orderId=${attackerOrderId}&token=`), 401],
      ["malformed token", q(`orderId=${attackerOrderId}&token=abc`), 403],
      ["forged token", q(`orderId=${attackerOrderId}&token=${forged}`), 403],
      ["forged token of the legacy shape", q(`orderId=${attackerOrderId}&token=${legacyForged}`), 403],
      ["token of another secret", q(`orderId=${attackerOrderId}&token=${otherSecret}`), 403],
      ["token of another stage", q(`orderId=${attackerOrderId}&token=${otherStage}`), 403],
      ["token expiring in 400 days", q(`orderId=${attackerOrderId}&token=${overlong}`), 403],
      ["expired token", q(`orderId=${attackerOrderId}&token=${expired}`), 403],
      ["other order's token", q(`orderId=${attackerOrderId}&token=${tokenGood}`), 403],
      ["token 8 KB", q(`orderId=${attackerOrderId}&token=${"1".repeat(8192)}`), 403],
      [
        "duplicated orderId, last is another order",
        q(`orderId=${attackerOrderId}&orderId=${goodOrderId}&token=${tokenA}`),
        403,
      ],
      [
        "duplicated token, last is another order's",
        q(`orderId=${attackerOrderId}&token=${tokenA}&token=${tokenGood}`),
        403,
      ],
      ...Array.from({ length: 10 }, (_, i): [string, string, number] => {
        const orderId = randomText(prng.int(1, 200));
        return [`random orderId #${i}`, q(`orderId=${encodeURIComponent(orderId)}&token=${tokenA}`), 403];
      }),
      ...Array.from({ length: 10 }, (_, i): [string, string, number] => [
        `random token #${i}`,
        q(`orderId=${attackerOrderId}&token=${encodeURIComponent(randomText(prng.int(1, 200)))}`),
        403,
      ]),
    ];
    // Act
    const statuses = await Promise.all(cases.map(([, url]) => refusedStatus(url)));
    const admitted = await openSocket(
      q(`orderId=${goodOrderId}&orderId=${attackerOrderId}&token=${tokenGood}&token=${tokenA}`),
    );
    openedSockets.push(admitted.socket);
    admitted.send({ action: "sync", orderId: goodOrderId, after: 0 });
    admitted.send({ action: "sync", orderId: attackerOrderId, after: 0 });
    const replies = await admitted.next(2);
    // Assess
    expect(cases.map(([name], i) => [name, statuses[i]])).toEqual(cases.map(([name, , status]) => [name, status]));
    expect(replies.map((r) => r.code ?? r.type).sort()).toEqual(["not_subscribed", "synced"]);
    expect(replies.find((r) => r.type === "synced")?.orderId).toBe(attackerOrderId);
  });
});

describe("hostile PutEvents requests", () => {
  it("answer a request error or one ErrorCode per entry, and deliver nothing invalid", async () => {
    // Prepare
    const requests = hostileEventRequests(runtime.state.eventBusName, attackerOrderId);
    // Act
    const answers = await Promise.all(
      requests.map(async (request) => {
        const response = await fetch(runtime.state.endpoints.events, {
          method: "POST",
          headers: { "x-amz-target": "AWSEvents.PutEvents", "content-type": "application/x-amz-json-1.1" },
          body: request.body,
        });
        return { status: response.status, body: (await response.json()) as any };
      }),
    );
    await runtime.events.idle();
    // Assess
    const got = answers.map((answer, i) => ({
      name: requests[i]!.name,
      ...(answer.status === 200
        ? { request: 200, entries: answer.body.Entries.map((e: any) => e.ErrorCode ?? (e.EventId ? "ok" : "?")) }
        : { request: answer.status, type: answer.body.__type }),
    }));
    expect(got).toEqual(requests.map((r) => ({ name: r.name, ...r.expect })));
    // The envelopes the bus accepted fail both targets' schema: no status reaches the attacker's order;
    // after the rules' bounded retries each is a dead letter of each rule, whole, for an operator to see.
    expect(attacker.frames.filter((f) => f.type === "status")).toEqual([]);
    const refused = requests.find((r) => r.name === "Details the callback must drop")!.expect as { entries: string[] };
    const deadLetters = runtime.events.deadLetters();
    for (const rule of Object.keys(Topology.EVENT_RULES)) {
      expect(
        deadLetters.filter((d) => d.ruleName === rule),
        rule,
      ).toHaveLength(refused.entries.length);
    }
    for (const d of deadLetters)
      expect(d).toMatchObject({
        lastError: expect.stringContaining("Not a valid order status event"),
        event: { detail: { orderId: expect.anything() } },
      });
  });

  it("refuses 11 entries through the real SDK client too", async () => {
    // Prepare
    const detail = { orderId: attackerOrderId, status: "placed" as const, occurredAt: "2026-11-26T10:00:00.000Z" };
    const entries = Array.from({ length: 11 }, () => OrderStatus.toPutEventsEntry(detail, runtime.state.eventBusName));
    // Act
    const sending = events.send(new PutEventsCommand({ Entries: entries }));
    // Assess
    await expect(sending).rejects.toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
  });
});

describe("hostile POST /orders bodies", () => {
  it("answer 400, 413 or 415 each, placing no order", async () => {
    // Prepare
    const bodies = hostileOrders();
    // Act
    const statuses = await Promise.all(
      bodies.map(async (body) => {
        const response = await fetch(`${runtime.state.endpoints.http}/orders`, {
          method: "POST",
          headers: { "content-type": body.contentType },
          body: body.body,
        });
        const json = (await response.json()) as { message?: unknown };
        return { status: response.status, hasMessage: typeof json.message === "string" };
      }),
    );
    // Assess
    expect(bodies.map((b, i) => [b.name, statuses[i]!.status])).toEqual(bodies.map((b) => [b.name, b.expect]));
    expect(statuses.every((s) => s.hasMessage)).toBe(true);
    expect(runtime.records.filter((r) => r.component === "http" && r.statusCode === 202)).toEqual([]);
  });
});

describe("after all that", () => {
  it("still serves and delivers, lost nothing of the well-formed flow, and leaked nothing across orders", async () => {
    // Act: the well-formed flow's last status, published after every attack.
    await goodPublishing;
    await publish(goodDetails.at(-1)!);
    const deadline = Date.now() + 10_000;
    while ((goodTimeline.statuses.length < goodDetails.length || goodTimeline.hasGap) && Date.now() < deadline)
      await sleep(50);
    await runtime.events.idle();
    await sleep(100); // anything extra (a duplicate) would arrive by now
    const health = await fetch(`${runtime.state.endpoints.http}/health`);
    // Assess
    expect(health.status).toBe(200);
    expect(goodTimeline.statuses.map((s) => s.status)).toEqual(goodDetails.map((d) => d.status));
    expect(goodTimeline.cursor).toBe(goodDetails.length);
    expect(attacker.frames.filter((f) => f.orderId !== undefined && f.orderId !== attackerOrderId)).toEqual([]);
    expect(attacker.frames.filter((f) => f.type !== "error" && f.type !== "synced")).toEqual([]);
    expect(attacker.socket.readyState).toBe(WebSocket.OPEN);
    const probe = {} as Record<string, unknown>;
    expect([probe.polluted, probe.admin, probe.after, probe.action]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
