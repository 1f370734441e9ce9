/** The order API (API Gateway HTTP API) as an OpenAPI 3.1 document. */
import * as Catalogue from "@awsomepets/core/orders/catalogue";
import * as Topology from "@awsomepets/core/platform/topology";
import { CataloguePet, jsonSchema, Order, OrderAccepted, OrderViewBody, Problem } from "./schemas";

const schema = (s: Parameters<typeof jsonSchema>[0]) => jsonSchema(s, "draft-2020-12");
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string) => ({ description, content: { "application/json": { schema: ref("Problem") } } });
const throttled = problem(
  `API Gateway's throttling (${Topology.API_THROTTLES.http.rateLimit}/s, burst ${Topology.API_THROTTLES.http.burstLimit} for the stage). Retry with backoff.`,
);

/** Every path below is a route of the stack; a route added in core without a document fails the contracts test. */
export const DOCUMENTED_ROUTES = [
  "POST /orders",
  "GET /orders/{orderId}",
  "GET /catalogue",
] as const satisfies ReadonlyArray<keyof typeof Topology.HTTP_ROUTES>;

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "AWSomePets order API",
      version: "1.0.0",
      description: `Place an order, read it back, list the pets. Prices and amounts are in ${Catalogue.CURRENCY}. Every error body is \`{"message": "…"}\`; an invalid order also lists \`errors\` per field. Statuses are pushed over the WebSocket named by \`clientCallbackUrl\` (see the AsyncAPI document).`,
    },
    servers: [
      {
        url: "https://{apiId}.execute-api.{region}.amazonaws.com",
        variables: { apiId: { default: "apiId" }, region: { default: "eu-west-1" } },
      },
    ],
    paths: {
      "/orders": {
        post: {
          operationId: "placeOrder",
          summary: "Place an order",
          description:
            "Validates the order, stores it, publishes `placed` and starts the workflow. Retrying with the same Idempotency-Key and body returns the same order and link.",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description:
                "Makes retries safe: the same key with the same body answers the first order; with another body, 422.",
              schema: { type: "string", minLength: 1, maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: ref("OrderRequest") } },
          },
          responses: {
            "202": {
              description: "Placed. Open `clientCallbackUrl` to watch its statuses.",
              content: { "application/json": { schema: ref("OrderAccepted") } },
            },
            "400": problem(
              "Not JSON, an invalid order (`errors` per field), or an Idempotency-Key outside 1–255 characters.",
            ),
            "413": problem(`The body is larger than ${Order.MAX_BODY_BYTES} bytes.`),
            "415": problem("The Content-Type is not application/json."),
            "422": problem("This Idempotency-Key was already used for a different order."),
            "429": throttled,
            "500": problem("The order could not be placed; retry with the same Idempotency-Key."),
          },
        },
      },
      "/orders/{orderId}": {
        get: {
          operationId: "getOrder",
          summary: "Read an order, with its callback token",
          description:
            "The current status is the furthest step of the saga the order reached (terminal statuses last). The token is the `token` of the clientCallbackUrl, as a Bearer token in the Authorization header only (a query parameter would land in access logs and browser history). The answer has nothing personal beyond the basket: no shipping address, no card, since the link may be forwarded. An order past its retention (`ORDER_RETENTION_DAYS`, 30 days by default) or erased is 404.",
          security: [{ callbackToken: [] }],
          parameters: [{ name: "orderId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
          responses: {
            "200": { description: "The order.", content: { "application/json": { schema: ref("Order") } } },
            "400": problem("orderId is not a UUID."),
            "403": problem(
              "The token is missing, malformed, forged, for another order or stage, expired, expiring more than 24 h ahead (`overlong`), or signed with a secret the stage no longer holds (`unknown_key`) (`Forbidden: token is …`).",
            ),
            "404": problem("No such order: never placed, past its retention, or erased."),
            "429": throttled,
            "500": problem("Internal error."),
          },
        },
      },
      "/catalogue": {
        get: {
          operationId: "getCatalogue",
          summary: "The pets orders are priced from",
          description: "Cacheable for 5 minutes. A pet flagged soldOut is accepted and then cancelled by the workflow.",
          responses: {
            "200": {
              description: "The catalogue.",
              content: { "application/json": { schema: { type: "array", items: ref("Pet") } } },
            },
            "429": throttled,
          },
        },
      },
    },
    components: {
      schemas: {
        OrderRequest: schema(Order.OrderRequest),
        OrderAccepted: schema(OrderAccepted),
        Order: schema(OrderViewBody),
        Pet: schema(CataloguePet),
        Problem: schema(Problem),
      },
      securitySchemes: {
        callbackToken: {
          type: "http",
          scheme: "bearer",
          description:
            "The `token` query parameter of the order's clientCallbackUrl, sent as `Authorization: Bearer <token>`.",
        },
      },
    },
  };
}
