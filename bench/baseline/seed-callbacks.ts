/**
 * The workshop seed's callback algorithm (/work/shared/seed), re-written from its description for
 * COMPARISON ONLY: it is lossy (a status published while a client connects goes to a pending row
 * nobody reads again; a 410 drops the status) and is never shipped or deployed. The benchmark runs it
 * in the same local runtime as ours (start-runtime's `overrideHandlers`) so that "how close are we"
 * is measured with one harness in one run.
 *
 * Its table layout, in a table of its own (`SEED_CLIENT_CALLBACK_TABLE`): partition `orderId`, sort
 * `connectionId` (a connection, or `pending#<epoch ms>` holding an undelivered status), a GSI on
 * `connectionId`. Its status frame is ours (type, orderId, status, occurredAt; seq 0: it had none) so
 * that the harness reads both alike.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from "@aws-sdk/client-apigatewaymanagementapi";
import { DynamoDBClient, type CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";

const BY_CONNECTION = "connectionId-index";

export const seedTableInput = (TableName: string): CreateTableCommandInput => ({
  TableName,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    { AttributeName: "orderId", AttributeType: "S" },
    { AttributeName: "connectionId", AttributeType: "S" },
  ],
  KeySchema: [
    { AttributeName: "orderId", KeyType: "HASH" },
    { AttributeName: "connectionId", KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: BY_CONNECTION,
      KeySchema: [{ AttributeName: "connectionId", KeyType: "HASH" }],
      Projection: { ProjectionType: "KEYS_ONLY" },
    },
  ],
});

type Detail = { orderId: string; status: string; occurredAt: string };
type SocketEvent = {
  requestContext: { connectionId: string };
  queryStringParameters?: Record<string, string> | null;
  body?: string | null;
};

// Created once per container, as the seed's module did; the endpoint is read per call (the runtime sets it after
// loading).
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const table = () => process.env.SEED_CLIENT_CALLBACK_TABLE!;
const frame = (d: Detail) =>
  JSON.stringify({ type: "status", orderId: d.orderId, status: d.status, occurredAt: d.occurredAt, seq: 0 });
const isPending = (connectionId: string) => connectionId.startsWith("pending#");

/** $connect: one row tying the order to the connection (no token: the seed had none). */
export async function connect(event: unknown) {
  const { requestContext, queryStringParameters } = event as SocketEvent;
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { orderId: queryStringParameters?.orderId, connectionId: requestContext.connectionId },
    }),
  );
  return { statusCode: 200 };
}

/** $disconnect: delete every row of the connection (found through the GSI). */
export async function disconnect(event: unknown) {
  const { connectionId } = (event as SocketEvent).requestContext;
  const rows = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: BY_CONNECTION,
      KeyConditionExpression: "connectionId = :c",
      ExpressionAttributeValues: { ":c": connectionId },
    }),
  );
  for (const row of rows.Items ?? [])
    await db.send(new DeleteCommand({ TableName: table(), Key: { orderId: row.orderId, connectionId } }));
  return { statusCode: 200 };
}

/**
 * $default (the seed browser sent `{"orderId": …}`): post the order's pending statuses to the caller, deleting each.
 */
export async function sync(event: unknown) {
  const { requestContext, body } = event as SocketEvent;
  const { orderId } = JSON.parse(body ?? "{}") as { orderId?: string };
  const rows = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
    }),
  );
  for (const row of rows.Items ?? []) {
    if (!isPending(row.connectionId)) continue;
    const client = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_MANAGEMENT_ENDPOINT });
    await client.send(new PostToConnectionCommand({ ConnectionId: requestContext.connectionId, Data: row.message }));
    await db.send(new DeleteCommand({ TableName: table(), Key: { orderId, connectionId: row.connectionId } }));
  }
  return { statusCode: 200 };
}

/**
 * The status rule's target: Query; none → a pending row; else post to each in turn, a new client each, 410 → delete.
 */
export async function callback(event: unknown) {
  const detail = (event as { detail: Detail }).detail;
  const rows = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": detail.orderId },
    }),
  );
  const connections = (rows.Items ?? []).filter((row) => !isPending(row.connectionId));
  if (connections.length === 0) {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { orderId: detail.orderId, connectionId: `pending#${Date.now()}`, message: frame(detail) },
      }),
    );
    return;
  }
  for (const { connectionId } of connections) {
    const client = new ApiGatewayManagementApiClient({ endpoint: process.env.WEBSOCKET_MANAGEMENT_ENDPOINT });
    try {
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: frame(detail) }));
    } catch (error) {
      if (!(error instanceof GoneException)) throw error;
      await db.send(new DeleteCommand({ TableName: table(), Key: { orderId: detail.orderId, connectionId } }));
    }
  }
}

/** The functions the seed baseline replaces in the local runtime. */
export const SEED_HANDLERS = {
  OrderWSConnectFunction: connect,
  OrderWSDisconnectFunction: disconnect,
  OrderWSPendingFunction: sync,
  OrderWSCallbackFunction: callback,
};
