/**
 * The AWS actions a handler can reach, found from the code (TypeScript's compiler API), not from a
 * test run: every function, method and value reachable from the handler's export, however rare the
 * path (the expired-item clean-up, the socket cap), and the SDK `*Command`s they construct.
 *
 * Reachability is by declaration: each identifier in a reached body is resolved by the type checker
 * to the function, method, variable or property it names (`deps.store.addConnection` → that method of
 * CallbackStore), and that declaration's body is walked in turn. So a module imported for one method
 * does not lend a handler its other methods' commands. It over-approximates within a body (every
 * branch counts, as it should), and cannot see a call made through an interface with no body of
 * ours: `UNRESOLVED` lists what it met of that kind, and the test requires it to stay empty.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Each SDK command as the IAM actions it needs (IAM's service prefixes, not the SDK's package names). */
export const COMMAND_ACTIONS: Record<string, readonly string[]> = {
  GetCommand: ["dynamodb:GetItem"],
  PutCommand: ["dynamodb:PutItem"],
  UpdateCommand: ["dynamodb:UpdateItem"],
  DeleteCommand: ["dynamodb:DeleteItem"],
  QueryCommand: ["dynamodb:Query"],
  ScanCommand: ["dynamodb:Scan"],
  BatchGetCommand: ["dynamodb:BatchGetItem"],
  BatchWriteCommand: ["dynamodb:BatchWriteItem"],
  TransactWriteCommand: ["dynamodb:TransactWriteItems"],
  TransactGetCommand: ["dynamodb:TransactGetItems"],
  GetConnectionCommand: ["execute-api:ManageConnections GET"],
  PostToConnectionCommand: ["execute-api:ManageConnections POST"],
  DeleteConnectionCommand: ["execute-api:ManageConnections DELETE"],
  StartExecutionCommand: ["states:StartExecution"],
  PutEventsCommand: ["events:PutEvents"],
  GetParametersCommand: ["ssm:GetParameters"],
  GetParameterCommand: ["ssm:GetParameter"],
  // API Gateway's account settings are REST resources: IAM names the HTTP method. Setting the
  // CloudWatch role makes API Gateway check that the caller may pass it.
  GetAccountCommand: ["apigateway:GET"],
  UpdateAccountCommand: ["apigateway:PATCH", "iam:PassRole"],
  GetRoleCommand: ["iam:GetRole"],
  CreateRoleCommand: ["iam:CreateRole"],
  AttachRolePolicyCommand: ["iam:AttachRolePolicy"],
};

/**
 * Our own functions that call AWS without a command: the `@connections` POST signed by hand
 * (core/delivery/signed-post.ts, for its CPU cost). Keyed `file#function`, relative to the repository.
 */
export const SIGNED_BY_HAND: Record<string, readonly string[]> = {
  "packages/core/src/delivery/signed-post.ts#postSigned": ["execute-api:ManageConnections POST"],
};

/**
 * Calls through a signature (a type's method, no body of ours) met on some handler's paths, each
 * looked at: what stands behind it, and why no AWS call hides there. A new one fails the test
 * until someone looks at it and adds it here (or follows it another way).
 */
export const REVIEWED_SIGNATURES: Record<string, string> = {
  "packages/functions/src/lib/handler.ts#metrics":
    "the handler's Counter factory: lib/metrics.ts's emfMetrics (reached and walked: it writes EMF lines to stdout)",
  "packages/functions/src/lib/handler.ts#flush": "Counter.flush: lib/metrics.ts (walked), stdout only",
  "packages/core/src/platform/deadline.ts#cancel": "clears the deadline's timer",
  "packages/core/src/orders/service.ts#now": "an injected clock (tests); Date otherwise",
  "packages/core/src/orders/store.ts#now": "an injected clock (tests); Date otherwise",
  "packages/core/src/callbacks/admission.ts#now": "the store's clock",
  "packages/core/src/orders/saga.ts#now": "an injected clock (tests); Date otherwise",
  "packages/core/src/orders/saga.ts#charge":
    "PaymentProvider.charge: WORKSHOP_PAYMENTS in the functions (computes the outcome, no AWS call); a real provider is no AWS call either",
  "packages/core/src/orders/saga.ts#refund": "PaymentProvider.refund: as charge",
  "packages/core/src/delivery/signed-post.ts#signer":
    "the SDK client's SigV4 signer: part of the POST counted in SIGNED_BY_HAND",
  "packages/core/src/delivery/signed-post.ts#sign": "the SigV4 signer, as above",
  "packages/core/src/delivery/signed-post.ts#endpoint": "the client's resolved endpoint, no request",
  "packages/core/src/delivery/signed-post.ts#handle":
    "the client's HTTP handler sending the signed POST (SIGNED_BY_HAND)",
  "packages/core/src/delivery/signed-post.ts#resume": "drains the answer's body",
  "packages/core/src/delivery/signed-post.ts#maxAttempts": "the client's retry config, no request",
  "packages/core/src/delivery/signed-post.ts#retryStrategy": "the client's retry strategy, no request",
  "packages/core/src/delivery/signed-post.ts#acquireInitialRetryToken": "retry bookkeeping, no request",
  "packages/core/src/delivery/signed-post.ts#refreshRetryTokenForRetry": "retry bookkeeping, no request",
  "packages/core/src/delivery/signed-post.ts#recordSuccess": "retry bookkeeping, no request",
  "packages/core/src/delivery/signed-post.ts#getRetryDelay": "retry bookkeeping, no request",
  "packages/functions/src/deploy/api-gateway-account.ts#cloudWatchRoleArn":
    "AccountApi: sdkAccountApi's methods, reached and walked (their commands are counted)",
  "packages/functions/src/deploy/api-gateway-account.ts#setCloudWatchRoleArn": "AccountApi, as above",
  "packages/functions/src/deploy/api-gateway-account.ts#ensureRole": "AccountApi, as above",
  "packages/functions/src/deploy/api-gateway-account.ts#send":
    "the runtime SDK's client.send: the commands are counted where they are built",
  "packages/functions/src/deploy/api-gateway-account.ts#getRemainingTimeInMillis": "the Lambda context's clock",
};

export type Reach = {
  actions: Set<string>;
  commands: Set<string>;
  unknownCommands: Set<string>;
  unresolved: Set<string>;
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const ours = (file: string) => !file.includes("/node_modules/") && !file.endsWith(".d.ts");

/** One program for every handler: the compiler resolves `@awsomepets/core/*` as the build does. */
export function createAnalyzer(handlerFiles: string[]) {
  const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(
    handlerFiles.map((f) => path.join(ROOT, f)),
    { ...options, noEmit: true },
  );
  const checker = program.getTypeChecker();

  const resolve = (node: ts.Node): ts.Symbol | undefined => {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  };

  /** The AWS actions reachable from `exportName` of `file` (e.g. a handler module and `handler`). */
  return function reach(file: string, exportName: string): Reach {
    const source = program.getSourceFile(path.join(ROOT, file));
    if (!source) throw new Error(`${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    const entry = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === exportName);
    if (!entry) throw new Error(`${file} exports no ${exportName}`);
    const result: Reach = {
      actions: new Set(),
      commands: new Set(),
      unknownCommands: new Set(),
      unresolved: new Set(),
    };
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [];
    const enqueue = (symbol: ts.Symbol | undefined) => {
      for (const declaration of symbol?.declarations ?? []) {
        const sourceFile = declaration.getSourceFile();
        if (!ours(sourceFile.fileName) || seen.has(declaration)) continue;
        seen.add(declaration);
        queue.push(declaration);
      }
    };
    enqueue(entry.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(entry) : entry);

    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node)) {
        const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression;
        const symbol = resolve(callee);
        const name = symbol?.name ?? callee.getText();
        // From the SDK's types, or untyped: the deploy function `require`s the runtime's SDK (`any`).
        const declarations = symbol?.declarations ?? [];
        const fromSdk =
          declarations.length === 0 ||
          declarations.some((d) => /\/node_modules\/@aws-sdk\//.test(d.getSourceFile().fileName));
        if (fromSdk && name.endsWith("Command")) {
          result.commands.add(name);
          const actions = COMMAND_ACTIONS[name];
          if (actions) {
            for (const a of actions) result.actions.add(a);
          } else {
            result.unknownCommands.add(name);
          }
        }
      }
      // Identifiers in expressions only: a type annotation names a class without running any of it.
      if (ts.isIdentifier(node) && !isInType(node)) {
        const symbol = resolve(node);
        for (const declaration of symbol?.declarations ?? []) {
          const file = declaration.getSourceFile().fileName;
          if (!ours(file)) continue;
          // A call through a signature with no body of ours (an interface's method): not followed.
          if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
            if (isCallee(node)) result.unresolved.add(`${relative(file)}#${symbol!.name}`);
          }
        }
        enqueue(symbol);
      }
      ts.forEachChild(node, visit);
    };

    while (queue.length > 0) {
      const declaration = queue.shift()!;
      const key = `${relative(declaration.getSourceFile().fileName)}#${nameOf(declaration)}`;
      for (const a of SIGNED_BY_HAND[key] ?? []) result.actions.add(a);
      // A class: its constructor and field initializers run on `new`; its methods only when named.
      if (ts.isClassDeclaration(declaration)) {
        for (const member of declaration.members) {
          if (ts.isConstructorDeclaration(member) || (ts.isPropertyDeclaration(member) && member.initializer))
            visit(member);
        }
        continue;
      }
      if (
        ts.isInterfaceDeclaration(declaration) ||
        ts.isTypeAliasDeclaration(declaration) ||
        ts.isModuleDeclaration(declaration)
      )
        continue;
      if (ts.isSourceFile(declaration)) continue; // a namespace import: its members are followed one by one
      visit(declaration);
    }
    return result;
  };

  function isInType(node: ts.Node): boolean {
    for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
      if (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n)) return true;
      if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return true;
      if (ts.isStatement(n) || (ts.isExpression(n) && !ts.isIdentifier(n))) return false;
    }
    return false;
  }
}

function isCallee(node: ts.Identifier) {
  const parent = node.parent;
  const callee = ts.isPropertyAccessExpression(parent) && parent.name === node ? parent : node;
  return ts.isCallExpression(callee.parent) && callee.parent.expression === callee;
}

function nameOf(declaration: ts.Node) {
  const name = (declaration as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? name.text : "";
}
