/**
 * A real HTTP stand-in for SSM Parameter Store's GetParameters (the JSON 1.1 protocol the SDK speaks),
 * for the secret reader's tests: holds SecureStrings by name, checks each request's SigV4 signature
 * against the tests' dummy credentials, and can be told to answer ThrottlingException (SSM's "Rate
 * exceeded", HTTP 400) a number of times, or never to answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sigv4Problem } from "@test-support/sigv4-verifier";
import { TEST_SIGNING } from "@test-support/connections-server";

export async function startParameterStore(parameters: Record<string, string>, signing = TEST_SIGNING) {
  /** Every GetParameters request, with when it arrived (ms since the epoch). */
  const requests: Array<{ at: number; names: string[] }> = [];
  const badSignatures: string[] = [];
  let throttles = 0;
  let hanging = false;

  const answer = (res: ServerResponse, status: number, body: object, errorType?: string) => {
    res.writeHead(status, {
      "content-type": "application/x-amz-json-1.1",
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const problem = sigv4Problem(
        { method: req.method ?? "", rawPath: req.url ?? "", headers: req.headers, body },
        signing.credentials,
        {
          region: signing.region,
          service: "ssm",
        },
      );
      if (problem) {
        badSignatures.push(problem);
        return answer(res, 400, { __type: "InvalidSignatureException", message: problem }, "InvalidSignatureException");
      }
      if (req.headers["x-amz-target"] !== "AmazonSSM.GetParameters") {
        return answer(
          res,
          400,
          { __type: "InvalidAction", message: `not served: ${req.headers["x-amz-target"]}` },
          "InvalidAction",
        );
      }
      const { Names = [] } = JSON.parse(body.toString("utf8")) as { Names?: string[] };
      requests.push({ at: Date.now(), names: Names });
      if (hanging) return;
      if (throttles > 0) {
        throttles--;
        return answer(res, 400, { __type: "ThrottlingException", message: "Rate exceeded" }, "ThrottlingException");
      }
      answer(res, 200, {
        Parameters: Names.filter((name) => name in parameters).map((name) => ({
          Name: name,
          Type: "SecureString",
          Value: parameters[name],
          Version: 1,
        })),
        InvalidParameters: Names.filter((name) => !(name in parameters)),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    badSignatures,
    /** The next `times` requests are throttled (Infinity: all of them). */
    throttle: (times: number) => {
      throttles = times;
    },
    /** Requests from now on get no answer until the server stops. */
    hang: () => {
      hanging = true;
    },
    reset: () => {
      requests.length = 0;
      badSignatures.length = 0;
      throttles = 0;
      hanging = false;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
export type ParameterStore = Awaited<ReturnType<typeof startParameterStore>>;
