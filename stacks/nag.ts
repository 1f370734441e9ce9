/**
 * cdk-nag (AwsSolutions and Serverless packs) findings this app accepts, each with its reason.
 * What was worth fixing is fixed in the stacks (SSL-only bucket and queues, throttled and logged API
 * stages, log retention everywhere, state machine logging and tracing); what is left is listed here.
 * A suppression names the rule and, for wildcard IAM resources, the exact pattern it allows, so a new
 * finding of the same rule elsewhere still fails `npm test`.
 */
import type { Stack } from "aws-cdk-lib";
import { NagSuppressions, type NagPackSuppression } from "cdk-nag";

/** Every stack: Lambda defaults, SST's own deploy-time function, and the API design. */
const COMMON: NagPackSuppression[] = [
  {
    id: "AwsSolutions-IAM4",
    reason:
      "AWSLambdaBasicExecutionRole (log writes only) is the role CDK and SST give every function; its scope is what a function needs to log.",
    appliesTo: ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
  },
  {
    id: "AwsSolutions-L1",
    reason:
      "Functions run nodejs22.x on purpose: the tests run on Node 22 (node@22 devDependency); SST's CustomResourceHandler runtime is SST's choice.",
  },
  {
    id: "Serverless-LambdaLatestVersion",
    reason: "As AwsSolutions-L1: the runtime is pinned to Node 22, the version the code is tested on.",
  },
  {
    id: "Serverless-LambdaDLQ",
    reason:
      "Functions invoked synchronously (API routes, saga tasks, SST's custom resource) return errors to their caller; the API Gateway account custom resource reports its own failure to CloudFormation (the deploy fails and says why); the two asynchronously invoked app functions have an on-failure destination to an SQS dead-letter queue, which keeps more than a DLQ would.",
  },
  {
    id: "Serverless-LambdaTracing",
    reason:
      "Only SST's CustomResourceHandler (deploy time) is untraced; every app function has active tracing (SST default).",
  },
  {
    id: "AwsSolutions-IAM5",
    reason:
      "X-Ray's PutTraceSegments/PutTelemetryRecords (active tracing) and CloudWatch Logs' log-delivery actions (state machine logging) accept no resource narrower than '*'; the infra tests check that '*' is granted for nothing else.",
    appliesTo: ["Resource::*"],
  },
];

/** DLQs are queues of last resort: a DLQ of a DLQ would only move the problem. */
const DEAD_LETTER_QUEUES: NagPackSuppression[] = [
  {
    id: "AwsSolutions-SQS3",
    reason: "This queue is itself the dead-letter queue of a rule target and a function; it is alarmed on any message.",
  },
  {
    id: "Serverless-SQSRedrivePolicy",
    reason: "This queue is itself a dead-letter queue; it is alarmed on any message and redriven by an operator.",
  },
];

const PUBLIC_APIS: NagPackSuppression = {
  id: "AwsSolutions-APIG4",
  reason:
    "The order API is public by design (a shop's checkout), reached through the edge: POST /orders and GET /orders/{id} refuse a request without the edge's origin header (core's platform/origin-verify.ts). A WebSocket API can authorize $connect only: its Lambda authorizer requires that header (an identity source) and binds the connection to its order, and the $connect function checks the order's HMAC callback token, the only credential a customer has.",
};

const DEV_TABLES = (keepsData: boolean): NagPackSuppression[] =>
  keepsData
    ? []
    : [
        {
          id: "AwsSolutions-DDB3",
          reason: "Point-in-time recovery is on unless the stage was declared disposable (DISPOSABLE_STAGE=true).",
        },
      ];

export const CALLBACKS_STACK_SUPPRESSIONS = (keepsData: boolean): NagPackSuppression[] => [
  ...COMMON,
  ...DEAD_LETTER_QUEUES,
  ...DEV_TABLES(keepsData),
  PUBLIC_APIS,
  {
    id: "AwsSolutions-IAM5",
    reason:
      "Connection ids are only known at run time: ManageConnections is granted on POST @connections/* (posting functions) or GET @connections/* ($connect, at the cap) of this API's own stage only.",
    appliesTo: [
      {
        regex:
          "/^Resource::arn:<AWS::Partition>:execute-api:[^:]+:[0-9]+:<OrderCallbackAPI[0-9A-F]+>\\/[^/]+\\/(POST|GET)\\/@connections\\/\\*$/",
      },
    ],
  },
];

export const ORDERS_STACK_SUPPRESSIONS = (keepsData: boolean): NagPackSuppression[] => [
  ...COMMON,
  ...DEAD_LETTER_QUEUES,
  ...DEV_TABLES(keepsData),
  PUBLIC_APIS,
  {
    id: "AwsSolutions-IAM5",
    reason:
      "grantInvoke on a task function also covers its versions and aliases (`<arn>:*`); nothing else of the account.",
    appliesTo: [{ regex: "/^Resource::<\\w+Function[0-9A-F]{8}\\.Arn>:\\*$/" }],
  },
  {
    id: "AwsSolutions-SF1",
    reason:
      "The state machine logs at ERROR, as chosen: ALL would log every transition (cost) and, with execution data, customers' addresses.",
  },
];

export const WEB_STACK_SUPPRESSIONS: NagPackSuppression[] = [
  ...COMMON,
  {
    id: "AwsSolutions-IAM5",
    reason:
      "SST's deploy-time uploader copies the built page from the CDK assets bucket into the site bucket: object keys are only known at deploy.",
    appliesTo: [
      { regex: "/^Resource::<OrderTrackerSiteS3Bucket[0-9A-F]+\\.Arn>\\/\\*$/" },
      { regex: "/^Resource::arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-[0-9]+-[a-z0-9-]+\\/\\*$/" },
    ],
  },
  {
    id: "AwsSolutions-S1",
    reason: "The bucket holds only the public page's build output; CloudFront is its only reader.",
  },
  { id: "AwsSolutions-CFR1", reason: "A shop that ships anywhere has no country to block." },
  {
    id: "AwsSolutions-CFR2",
    reason:
      "A static page served from S3 with no form posting to this distribution; each request costs only CloudFront's own price. The APIs it calls are behind their own distributions with a WAF web ACL of per-address rate rules (stacks/edge.ts) and the stage throttles behind it.",
  },
  {
    id: "AwsSolutions-CFR3",
    reason:
      "Access logs of a static page are not needed by a small shop; the order API and WebSocket stages log every request.",
  },
  {
    id: "AwsSolutions-CFR4",
    reason:
      "The default *.cloudfront.net certificate cannot be pinned to TLS 1.2; a custom domain with its own certificate would allow it.",
  },
  {
    id: "AwsSolutions-CFR7",
    reason:
      "SST v2's StaticSite creates an origin access identity; the bucket is still private and readable only through CloudFront.",
  },
];

/**
 * The edge's two distributions (stacks/edge.ts), suppressed on those resources only. CFR2 (WAF) is
 * satisfied: they are what carries the web ACL.
 */
export const EDGE_DISTRIBUTION_SUPPRESSIONS = (ownDomain: boolean): NagPackSuppression[] => [
  {
    id: "AwsSolutions-CFR1",
    reason: "A shop that ships anywhere has no country to block; the web ACL limits each address instead.",
  },
  {
    id: "AwsSolutions-CFR3",
    reason:
      "CloudFront's access logs record the query string, which carries a callback link's token; the web ACL's log (query string and Authorization redacted) keeps each viewer's address instead, and the API stages log every request.",
  },
  ...(ownDomain
    ? []
    : [
        {
          id: "AwsSolutions-CFR4",
          reason:
            "Without EDGE_DOMAIN the distribution answers at its *.cloudfront.net name, whose default certificate cannot be pinned to TLS 1.2; a stage with its own domain gets TLSv1.2_2021.",
        },
      ]),
];

/** Applies `suppressions` to every resource of `stack`. */
export function suppressNagFindings(stack: Stack, suppressions: NagPackSuppression[]) {
  NagSuppressions.addStackSuppressions(stack, suppressions, true);
}
