export * as Order from "./request";
export * as Orders from "./service";
export { OrderStore, type PaymentOutcome } from "./store";
export * as OrdersTable from "./table";
export * as Saga from "./saga";
export * as Catalogue from "./catalogue";
export * as Countries from "./countries";
export * as Erasure from "./erasure";
