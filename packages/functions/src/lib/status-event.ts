/** An "Order Status Changed" event as EventBridge delivers it to a target: core's schema. */
export { Event as StatusEvent } from "@awsomepets/core/order-status";
