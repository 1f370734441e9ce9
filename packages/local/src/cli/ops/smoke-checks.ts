/**
 * The checks of `npm run smoke`, one per assumption `npm start`'s model makes about AWS, in the order
 * they run. Their names are what the local model's code points to where it makes the assumption
 * (packages/aws-local/src/gateway: authorizer.ts, management-api.ts, error-frames.ts).
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import * as CallbackTable from "@awsomepets/core/callbacks/table";
import { followOrder, placeOrder, SMOKE_ORDERS, type PlacedOrder } from "./smoke-orders";
import { Failed, type SmokeReport } from "./smoke-report";
import { openSmokeSocket, upgradeStatus, type Frame } from "./smoke-socket";
import type { SmokeTarget } from "./smoke-target";

/**
 * How long each wait may take on AWS (a saga with its steps' retries, a Lambda cold start, a best-effort
 * `$disconnect`).
 */
export const SMOKE_TIMEOUTS = { orderMs: 90_000, answerMs: 15_000, disconnectMs: 15_000, upgradeMs: 15_000 };
/** Messages sent at once by `--probe-throttle`: past the stage's default burst (120) and a second's refill (60). */
export const PROBE_MESSAGES = 400;

const THROTTLE_MESSAGE = "Too Many Requests";

export async function runChecks(target: SmokeTarget, report: SmokeReport, options: { probeThrottle: boolean }) {
  const dynamodb = new DynamoDBClient(target.dynamodbConfig);
  const management = new ApiGatewayManagementApiClient(target.managementConfig);
  try {
    await healthChecks(target, report, "before");

    const [followed, other] = await report.check<[PlacedOrder, PlacedOrder]>(
      "orders-placed",
      "POST /orders through the edge answers 202 with a clientCallbackUrl on the edge's WebSocket URL",
      async () => {
        const orders = [
          await placeOrder(target.apiUrl, SMOKE_ORDERS.refunded),
          await placeOrder(target.apiUrl, SMOKE_ORDERS.soldOut),
        ] as [PlacedOrder, PlacedOrder];
        const elsewhere = orders.find((o) => withoutQuery(o.clientCallbackUrl) !== withoutQuery(target.websocketUrl));
        if (elsewhere)
          throw new Failed(
            `order ${elsewhere.orderId}'s link does not start with ${target.websocketUrl}: ${withoutToken(elsewhere.clientCallbackUrl)}`,
          );
        return {
          seen: `orders ${orders.map((o) => o.orderId).join(" and ")}, links on ${target.websocketUrl}`,
          value: orders,
        };
      },
    );

    await report.check(
      "order-followed",
      "the client package follows each order over its clientCallbackUrl: every status once, in order, to the end",
      async () => {
        const seen = await Promise.all([
          followOrder(followed, SMOKE_TIMEOUTS.orderMs),
          followOrder(other, SMOKE_TIMEOUTS.orderMs),
        ]);
        return { seen: seen.join("; ") };
      },
    );

    const connectionIds = async (orderId: string) => {
      const { Item } = await dynamodb.send(
        new GetItemCommand({
          TableName: target.clientCallbackTable,
          Key: { orderId: { S: orderId }, sk: { S: CallbackTable.ORDER_SK } },
          ConsistentRead: true,
        }),
      );
      return Object.keys(Item ?? {})
        .filter((name) => name.startsWith(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX))
        .map((name) => name.slice(CallbackTable.CONNECTION_ATTRIBUTE_PREFIX.length));
    };

    // One socket of the followed order: its $default message, then its close and what follows it.
    const before = await connectionIds(followed.orderId);
    const socket = await openSmokeSocket(followed.clientCallbackUrl, SMOKE_TIMEOUTS.upgradeMs);
    let connectionId: string;
    try {
      await report.check(
        "context-on-default",
        "a message without action or orderId ($default) is answered for the connection's own order: the $connect authorizer's context reaches $default",
        async () => {
          socket.send(JSON.stringify({ after: 0 }));
          const answer = await socket.waitFor(
            (f) => f.json !== undefined && f.json.type !== "status",
            SMOKE_TIMEOUTS.answerMs,
          );
          const statuses = socket.frames.filter(
            (f) => f.json?.type === "status" && f.json.orderId === followed.orderId,
          ).length;
          if (answer?.json?.type !== "synced" || answer.json.orderId !== followed.orderId)
            throw new Failed(
              `{"after":0} was answered ${answer ? answer.text : `nothing within ${SMOKE_TIMEOUTS.answerMs / 1000} s`}`,
            );
          if (statuses !== followed.path.length)
            throw new Failed(`synced for the order, but with ${statuses} statuses of ${followed.path.length}`);
          return { seen: `{"after":0} answered with ${statuses} statuses and synced for ${followed.orderId}` };
        },
      );
      connectionId = await report.check<string>(
        "context-on-disconnect",
        "a closed socket's connection is removed from its order's item in ClientCallbackTbl: the authorizer's context reaches $disconnect",
        async () => {
          const during = await connectionIds(followed.orderId);
          const added = during.filter((id) => !before.includes(id));
          if (added.length !== 1)
            throw new Failed(
              `expected the open socket's one ${CallbackTable.CONNECTION_ATTRIBUTE_PREFIX}<id> attribute in the order's item, found ${added.length} new (${during.length} in all)`,
            );
          const id = added[0]!;
          const closedAt = Date.now();
          await socket.close();
          while ((await connectionIds(followed.orderId)).includes(id)) {
            if (Date.now() - closedAt > SMOKE_TIMEOUTS.disconnectMs) {
              throw new Failed(
                `${CallbackTable.connectionAttribute(id)} still in the order's item ${SMOKE_TIMEOUTS.disconnectMs / 1000} s after the close ($disconnect did not get the order, or did not run: it is best-effort, so run the smoke again before concluding)`,
              );
            }
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          return {
            seen: `${CallbackTable.connectionAttribute(id)} gone ${Date.now() - closedAt} ms after the close`,
            value: id,
          };
        },
      );
    } finally {
      await socket.close();
    }

    await report.check(
      "gone-after-close",
      "a @connections post to a closed connection is answered 410 GoneException",
      async () => {
        try {
          await management.send(
            new PostToConnectionCommand({
              ConnectionId: connectionId,
              Data: new TextEncoder().encode('{"type":"smoke"}'),
            }),
          );
        } catch (error) {
          const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
          if (name === "GoneException" && $metadata?.httpStatusCode === 410)
            return { seen: `GoneException (HTTP 410) for ${connectionId}` };
          throw new Failed(`answered ${name} (HTTP ${$metadata?.httpStatusCode ?? "?"}) for ${connectionId}`);
        }
        throw new Failed(`the post to ${connectionId} was accepted (HTTP 200)`);
      },
    );

    const link = new URL(followed.clientCallbackUrl);
    const token = link.searchParams.get("token") ?? "";
    const refusals = [
      {
        name: "refuse-no-order-id",
        what: "a link without orderId",
        status: 401,
        url: withParams(link, { orderId: undefined }),
      },
      {
        name: "refuse-forged-token",
        what: "a link whose token's signature was changed",
        status: 403,
        url: withParams(link, { token: forged(token) }),
      },
      {
        name: "refuse-other-orders-token",
        what: "a link with another order's token",
        status: 403,
        url: withParams(link, { token: new URL(other.clientCallbackUrl).searchParams.get("token") ?? "" }),
      },
    ];
    for (const refusal of refusals) {
      await report.check(refusal.name, `${refusal.what} is refused ${refusal.status} at $connect`, async () => {
        const status = await upgradeStatus(refusal.url, SMOKE_TIMEOUTS.upgradeMs);
        if (status !== refusal.status)
          throw new Failed(status === "opened" ? "the socket opened" : `answered ${status}`);
        return { seen: `HTTP ${status}` };
      });
    }

    const throttleAssumption = `API Gateway answers a throttled message with its own frame, {"message":"${THROTTLE_MESSAGE}",…} without a type`;
    if (options.probeThrottle) await report.check("throttle-frame", throttleAssumption, () => probeThrottle(followed));
    else
      report.skip(
        "throttle-frame",
        throttleAssumption,
        "opt-in: --probe-throttle (a burst that throttles every socket of the stage for about a second; refused on a stage that keeps data)",
      );

    await healthChecks(target, report, "after");
  } finally {
    dynamodb.destroy();
    management.destroy();
  }
}

async function healthChecks(target: SmokeTarget, report: SmokeReport, when: "before" | "after") {
  await report.check(`dead-letters-${when}`, `the dead-letter queues are empty ${when} the run`, async () => {
    const queues = await target.deadLetters();
    const seen = queues.map((q) => `${q.queue}: ${q.messages}`).join(", ");
    if (queues.some((q) => q.messages > 0)) throw new Failed(`${seen} (npm run redrive -- --dry-run lists them)`);
    return { seen };
  });
  const assumption = `no alarm of the stage is firing ${when} the run`;
  if ("skip" in target.alarms) return report.skip(`alarms-${when}`, assumption, target.alarms.skip);
  const read = target.alarms;
  await report.check(`alarms-${when}`, assumption, async () => {
    const alarms = await read();
    if (alarms.length === 0)
      throw new Failed("no alarm notifies the stage's AlarmTopicArn (is this version of the app deployed?)");
    const firing = alarms.filter((a) => a.state === "ALARM");
    if (firing.length) throw new Failed(`in ALARM: ${firing.map((a) => a.name).join(", ")}`);
    const byState = new Map<string, number>();
    for (const alarm of alarms) byState.set(alarm.state, (byState.get(alarm.state) ?? 0) + 1);
    const counts = [...byState].map(([state, count]) => `${count} ${state}`);
    return { seen: `${alarms.length} alarms: ${counts.join(", ")}` };
  });
}

/** A burst of syncs on one socket of the order until the stage's message throttle answers; the frame's shape. */
async function probeThrottle(order: PlacedOrder) {
  const socket = await openSmokeSocket(order.clientCallbackUrl, SMOKE_TIMEOUTS.upgradeMs);
  try {
    // After the last seq: each admitted sync is answered with `synced` alone.
    const sync = JSON.stringify({ action: "sync", after: order.path.length });
    for (let i = 0; i < PROBE_MESSAGES; i++) socket.send(sync);
    const isThrottle = (f: Frame) => f.json?.message === THROTTLE_MESSAGE;
    const frame = await socket.waitFor(isThrottle, SMOKE_TIMEOUTS.answerMs);
    if (!frame)
      throw new Failed(
        `no "${THROTTLE_MESSAGE}" frame within ${SMOKE_TIMEOUTS.answerMs / 1000} s of ${PROBE_MESSAGES} messages (${socket.frames.length} frames, e.g. ${socket.frames[0]?.text ?? "none"})`,
      );
    const keys = Object.keys(frame.json!);
    if (
      "type" in frame.json! ||
      typeof frame.json!.connectionId !== "string" ||
      typeof frame.json!.requestId !== "string"
    ) {
      throw new Failed(`the frame's keys are ${keys.join(", ")}: ${frame.text}`);
    }
    return { seen: `${keys.join(", ")}: ${frame.text}` };
  } finally {
    await socket.close();
  }
}

/** The signature's first character changed: a token of the right form that no secret signed. */
function forged(token: string) {
  const parts = token.split(".");
  const signature = parts.at(-1) ?? "";
  parts[parts.length - 1] = (signature[0] === "A" ? "B" : "A") + signature.slice(1);
  return parts.join(".");
}

function withParams(url: URL, params: Record<string, string | undefined>) {
  const copy = new URL(url);
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) copy.searchParams.delete(name);
    else copy.searchParams.set(name, value);
  }
  return copy.toString();
}

/** Origin and path: `wss://host/stage` and `wss://host/stage/?orderId=…` are the same API. */
function withoutQuery(url: string) {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/$/, "")}`;
}

/** A link for a line: the token is a credential. */
function withoutToken(url: string) {
  const copy = new URL(url);
  copy.searchParams.delete("token");
  return copy.toString();
}
