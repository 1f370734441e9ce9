export * as Callbacks from "./service";
export { CallbackStore, type StoredRecord } from "./store";
export * as CallbackItem from "./item";
export * as CallbackTable from "./table";
export * as CallbackToken from "./token";
export * as MessageAdmission from "./admission";
export * as SyncRateLimit from "./rate-limit";
export * as Protocol from "./protocol";
export * as ItemSize from "./item-size";
