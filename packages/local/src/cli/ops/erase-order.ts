/**
 * `npm run erase-order`: removes one customer's order from every table that holds it (core's
 * Erasure.eraseOrder), locally or on a deployed stage. Idempotent: a second run says nothing was left.
 */
import * as Erasure from "@awsomepets/core/orders/erasure";
import * as Aws from "@awsomepets/core/platform/aws";
import { type AwsCallContext, explainAwsError } from "../aws-error-message";

import { CommandError } from "../cli-errors";
import { parseOrderId } from "../order-id";
import { processIo, runAsScript } from "../run-command";
import { erasureLines } from "./erase-report";
import { localRuntime } from "./local-resources";
import { readOpsFlags, TARGET_USAGE } from "./ops-target";
import { readStageOutputs, STACK_OUTPUTS, stageClientConfig, stageContext } from "./stack-outputs";

const ERASE_USAGE = `Usage: npm run erase-order -- --order-id <uuid> [--json] [target]
Removes one customer's order from every table that holds it: the order's item (basket, address,
statuses) and its Idempotency-Key's record in OrdersTbl, and its callback item in ClientCallbackTbl.
Run it again and it says nothing was left (exit 0). Erase an order once its workflow has ended.
What stays elsewhere, and for how long (backups, the event archive, dead letters, logs):
docs/deploy-and-operate.md, "Erasing a customer's order".
  --order-id <uuid>   the order to erase
  --json              one JSON object instead of sentences
${TARGET_USAGE}`;

runAsScript("erase-order", ERASE_USAGE, async () => {
  const { values, target } = readOpsFlags(
    process.argv.slice(2),
    { "order-id": { type: "string" }, json: { type: "boolean" } },
    process.env,
  );
  const orderId = parseOrderId(values["order-id"] as string | undefined);
  let where: {
    config: Parameters<typeof Aws.documentClient>[0];
    context: AwsCallContext;
    ordersTable: string;
    clientCallbackTable: string;
  };
  if (target.kind === "local") {
    const runtime = localRuntime();
    const endpoint = runtime.state.endpoints.dynamodb;
    where = {
      config: runtime.clientConfig(endpoint),
      context: runtime.context(endpoint),
      ordersTable: runtime.ordersTable(),
      clientCallbackTable: runtime.clientCallbackTable(),
    };
  } else {
    const { ClientCallbackTable } = await readStageOutputs(target, "Callbacks", [
      STACK_OUTPUTS.Callbacks.clientCallbackTable,
    ]);
    const { OrdersTable } = await readStageOutputs(target, "Orders", [STACK_OUTPUTS.Orders.ordersTable]);
    where = {
      config: stageClientConfig(target),
      context: stageContext(target, "DynamoDB"),
      ordersTable: OrdersTable,
      clientCallbackTable: ClientCallbackTable,
    };
  }
  const client = Aws.documentClient(where.config);
  try {
    const tables = { ordersTable: where.ordersTable, clientCallbackTable: where.clientCallbackTable };
    const report = await Erasure.eraseOrder({ client, ...tables }, orderId);
    for (const line of erasureLines(report, tables, values.json === true)) processIo.out(line);
  } catch (error) {
    throw new CommandError(explainAwsError(error, where.context));
  } finally {
    client.destroy();
  }
});
