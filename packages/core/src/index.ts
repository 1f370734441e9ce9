/** The domain of the callback microservice, as namespaces (`OrderStatus.Detail`, `Callbacks.sync`, …). */
export * as OrderStatus from "./order-status";
export * as CallbackTable from "./callback-table";
export * as CallbackToken from "./callback-token";
export * as Protocol from "./protocol";
export * as Delivery from "./delivery";
export * as Callbacks from "./callbacks";
export * as Aws from "./aws";
export { CallbackStore, type HistoryEntry } from "./callback-store";
export * as SyncRateLimit from "./sync-rate-limit";
export * as Topology from "./topology";
export * as Tunables from "./tunables";
export { OrderTimeline } from "./order-timeline";
export * as Catalogue from "./catalogue";
export * as Order from "./order";
export * as Orders from "./orders";
export * as Saga from "./saga";
export * as OrdersTable from "./orders-table";
export { OrderStore } from "./order-store";
