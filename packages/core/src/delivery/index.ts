export * as Delivery from "./fan-out";
export * as SignedPost from "./signed-post";
export * as ManagementClient from "./management-client";
