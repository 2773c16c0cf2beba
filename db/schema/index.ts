export * from "./auth";
export * from "./organizations";
export * from "./events";
export * from "./payments";
export * from "./tickets";
export * from "./receipts";
export * from "./refunds";
export * from "./stripe-events";
