/**
 * Every Lambda function's timeout and memory, as declared: the app's functions from
 * `Topology.FUNCTION_RUNTIME` (through `runtimeProps`), and the deploy-time helpers that SST and CDK
 * add to a stack from `DEPLOY_HELPER_RUNTIME` below. An aspect sets the helpers' and fails the synth
 * for any function whose settings are not the declared ones, so none is left on a default nobody chose.
 */
import { Aspects, CfnResource, type IAspect } from "aws-cdk-lib";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import type { IConstruct } from "constructs";
import { VisibleError } from "sst/error.js";
import * as Topology from "@awsomepets/core/platform/topology";

type Runtime = { timeoutSeconds: number; memoryMB: number; reservedConcurrency?: number };

/**
 * SST Function props for an app function. No reserved concurrency unless declared: it would take from the account's
 * pool.
 */
export function runtimeProps(name: Topology.FunctionName | Topology.DeployFunctionName) {
  const runtime: Runtime = Topology.FUNCTION_RUNTIME[name];
  return {
    timeout: runtime.timeoutSeconds,
    memorySize: runtime.memoryMB,
    ...(runtime.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: runtime.reservedConcurrency }),
  };
}

/**
 * Functions SST and CDK create in a stack, by the id of the construct that owns them. They run only
 * during a deploy or a removal, a few times each; these are their creators' own figures, kept on
 * purpose and written here so that a change upstream fails the synth instead of passing unseen.
 */
export const DEPLOY_HELPER_RUNTIME = {
  /**
   * SST's custom-resource handler (one per stack): uploads the page's files and replaces the API
   * URL placeholder in them, invalidates CloudFront (Web), uploads source maps at deploy (stacks with
   * functions). Lambda's 15-minute maximum, for a large upload; 1,024 MB to rewrite assets in memory.
   */
  CustomResourceHandler: { timeoutSeconds: 900, memoryMB: 1024 },
  /**
   * CDK's provider that empties the page's bucket before the bucket is deleted (lists and deletes keys, 1,000 at a
   * time).
   */
  "Custom::S3AutoDeleteObjectsCustomResourceProvider": { timeoutSeconds: 900, memoryMB: 128 },
} as const satisfies Record<string, Runtime>;

const declared = (owner: string): Runtime | undefined =>
  (Topology.FUNCTION_RUNTIME as Record<string, Runtime>)[owner] ??
  (DEPLOY_HELPER_RUNTIME as Record<string, Runtime>)[owner];

class DeclaredRuntime implements IAspect {
  visit(node: IConstruct) {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== "AWS::Lambda::Function") return;
    // An L2 function's CfnFunction is its child `Resource`; a custom-resource provider's is its child `Handler`.
    const owner = node.node.scope!.node.id;
    const runtime = declared(owner);
    if (!runtime) {
      throw new VisibleError(
        `Lambda function ${node.node.path} has no declared timeout and memory: add it to Topology.FUNCTION_RUNTIME or DEPLOY_HELPER_RUNTIME (stacks/function-runtime.ts)`,
      );
    }
    if (owner in Topology.FUNCTION_RUNTIME) {
      // Set through runtimeProps when the function is created; only checked here (except under
      // `sst dev --increase-timeout`, where SST gives the live-debugging stub 900 s on purpose).
      const fn = node as CfnFunction;
      const debugging = (node.node.root as { debugIncreaseTimeout?: boolean }).debugIncreaseTimeout === true;
      if (debugging) return;
      if (
        fn.timeout !== runtime.timeoutSeconds ||
        fn.memorySize !== runtime.memoryMB ||
        fn.reservedConcurrentExecutions !== runtime.reservedConcurrency
      ) {
        throw new VisibleError(
          `${owner} is not created with its declared runtime (${JSON.stringify(runtime)}): pass runtimeProps("${owner}")`,
        );
      }
      return;
    }
    node.addPropertyOverride("Timeout", runtime.timeoutSeconds);
    node.addPropertyOverride("MemorySize", runtime.memoryMB);
  }
}

/** Applies the declared runtime to every Lambda function of `scope` (the app: every stack). */
export function declareRuntimeOfEveryFunction(scope: IConstruct) {
  Aspects.of(scope).add(new DeclaredRuntime());
}
