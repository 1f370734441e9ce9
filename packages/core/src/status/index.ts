export * as OrderStatus from "./event";
export * as StatusModel from "./model";
