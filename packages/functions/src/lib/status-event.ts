/** An "Order Status Changed" event as EventBridge delivers it to a target: Powertools' envelope, core's detail. */
import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import { z } from "zod";
import { OrderStatus } from "@awsomepets/core/index";

export const StatusEvent = EventBridgeSchema.extend({
  source: z.literal(OrderStatus.EVENT_SOURCE),
  "detail-type": z.literal(OrderStatus.DETAIL_TYPE),
  detail: OrderStatus.Detail,
});
