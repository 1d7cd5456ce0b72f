import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Repository root (the folder holding `serverless.yml`). */
const REPO_ROOT = join(__dirname, '..', '..');
const POWERTOOLS = '@aws-lambda-powertools/';

/** One AWS API call, as the IAM action it needs and where it was found. */
export interface AwsCall {
  /** IAM action, e.g. `kinesis:DescribeStreamSummary`. */
  action: string;
  /** Where the call is made, e.g. `src/aws/kmsKeyPort.ts` or `DescribeStream (ASL)`. */
  origin: string;
}

/** IAM service prefix of each AWS SDK v3 package whose commands the code may send. */
const SERVICE_OF_PACKAGE = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-kinesis': 'kinesis',
  '@aws-sdk/client-kms': 'kms',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-resource-groups-tagging-api': 'tag',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-account': 'account',
  '@aws-sdk/client-cloudtrail': 'cloudtrail',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-sfn': 'states',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
} as const;

/** DynamoDB action behind each document-client command (its name differs from the API's). */
const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/** Package name of a file under `node_modules` (innermost), or undefined for our sources. */
const packageOf = (fileName: string): string | undefined => {
  const parts = fileName.split('/node_modules/');
  if (parts.length < 2) return undefined;
  const [first = '', second = ''] = (parts.at(-1) ?? '').split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
};

/** IAM action of an SDK command class (`DescribeKeyCommand` of client-kms → `kms:DescribeKey`). */
const actionOfCommand = (packageName: string, commandClass: string): string => {
  const service = SERVICE_OF_PACKAGE[packageName as keyof typeof SERVICE_OF_PACKAGE];
  if (service === undefined) throw new Error(`No IAM service prefix known for ${packageName} (${commandClass})`);
  const operation = commandClass.replace(/Command$/, '');
  if (packageName !== '@aws-sdk/lib-dynamodb') return `${service}:${operation}`;
  const action = DOCUMENT_CLIENT_ACTIONS[operation];
  if (action === undefined) throw new Error(`No DynamoDB action known for document-client ${commandClass}`);
  return `${service}:${action}`;
};

/** Declaration file of a symbol, following import aliases. */
const declarationFileOf = (checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string | undefined => {
  if (symbol === undefined) return undefined;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return target.declarations?.[0]?.getSourceFile().fileName;
};

/** A class as TypeScript declares it. */
interface DeclaredClass {
  className: string;
  /** Declaration (`.d.ts`) of the class. */
  declarationFile: string;
}

/** A Powertools class our code uses, and which of its methods run. */
interface LibraryUse {
  /** The class, then its parent classes. */
  chain: DeclaredClass[];
  /** Methods we call; `'*'` when the instance is handed to another Powertools API. */
  methods: Set<string>;
}

const isPowertoolsFile = (fileName: string | undefined): fileName is string =>
  fileName !== undefined && (packageOf(fileName) ?? '').startsWith(POWERTOOLS);

/** A Powertools class (`DynamoDBPersistenceLayer`) and its parent classes, if `type` is one. */
const powertoolsClassOf = (checker: ts.TypeChecker, type: ts.Type): DeclaredClass[] | undefined => {
  const chain: DeclaredClass[] = [];
  let symbol = type.getSymbol();
  while (symbol !== undefined) {
    const declaration = symbol.declarations?.[0];
    if (declaration === undefined || !ts.isClassDeclaration(declaration)) break;
    chain.push({ className: symbol.getName(), declarationFile: declaration.getSourceFile().fileName });
    const declared = checker.getDeclaredTypeOfSymbol(symbol);
    const base = declared.isClassOrInterface() ? checker.getBaseTypes(declared)[0] : undefined;
    symbol = base?.getSymbol();
  }
  return chain.length > 0 && isPowertoolsFile(chain[0]?.declarationFile) ? chain : undefined;
};

/** The esm build (what esbuild bundles, `mainFields: module`) of a Powertools `.d.ts`. */
const libraryJsOf = (declarationFile: string): string => {
  const cjs = declarationFile.replace(/\.d\.ts$/, '.js');
  const esm = cjs.replace(`${sep}lib${sep}cjs${sep}`, `${sep}lib${sep}esm${sep}`);
  if (!existsSync(esm)) throw new Error(`No esm build for ${declarationFile}`);
  return esm;
};

/** A class of a library JS file: its methods and its parent class. */
interface JsClass {
  file: string;
  name: string;
  methods: Map<string, ts.Node>;
  parent: JsClass | undefined;
  /** Local name → module specifier of the file's imports. */
  imports: Map<string, string>;
}

const parsedJs = new Map<string, ts.SourceFile>();

const parseJs = (file: string): ts.SourceFile => {
  let source = parsedJs.get(file);
  if (source === undefined) {
    source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
    parsedJs.set(file, source);
  }
  return source;
};

const importsOf = (source: ts.SourceFile): Map<string, string> => {
  const imports = new Map<string, string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings !== undefined && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) imports.set(element.name.text, statement.moduleSpecifier.text);
    }
  }
  return imports;
};

/** Loads the JavaScript of a declared class chain (class first, then its parents). */
const loadJsClass = (chain: DeclaredClass[]): JsClass | undefined => {
  const [declared, ...parents] = chain;
  if (declared === undefined) return undefined;
  const file = libraryJsOf(declared.declarationFile);
  const source = parseJs(file);
  const declaration = source.statements.find(
    (statement): statement is ts.ClassDeclaration =>
      ts.isClassDeclaration(statement) && statement.name?.text === declared.className
  );
  if (declaration === undefined) throw new Error(`Class ${declared.className} not found in ${file}`);
  const methods = new Map<string, ts.Node>();
  for (const member of declaration.members) {
    if (ts.isConstructorDeclaration(member)) methods.set('constructor', member);
    else if ((ts.isMethodDeclaration(member) || ts.isGetAccessor(member)) && member.name !== undefined) {
      methods.set(member.name.getText(source), member);
    }
  }
  return { file, name: declared.className, methods, parent: loadJsClass(parents), imports: importsOf(source) };
};

/** Class of the chain (from `start` upwards) that defines `method`. */
const definingClass = (start: JsClass | undefined, method: string): JsClass | undefined => {
  for (let current = start; current !== undefined; current = current.parent) {
    if (current.methods.has(method)) return current;
  }
  return undefined;
};

const allMethods = (start: JsClass): string[] => {
  const names = new Set<string>();
  for (let current: JsClass | undefined = start; current !== undefined; current = current.parent) {
    for (const name of current.methods.keys()) names.add(name);
  }
  return [...names];
};

/**
 * SDK calls a Powertools class makes from the given entry methods: walks `this.m()` (from the
 * instance's class) and `super.m()` (from the parent) and collects `new XxxCommand()` and
 * `paginateXxx()` of `@aws-sdk/*` imports.
 */
const libraryCalls = (use: LibraryUse): AwsCall[] => {
  const root = loadJsClass(use.chain);
  if (root === undefined) return [];
  const entries = use.methods.has('*') ? allMethods(root) : ['constructor', ...use.methods];
  const seen = new Set<string>();
  const calls: AwsCall[] = [];
  const queue: [JsClass | undefined, string][] = entries.map((method) => [root, method]);
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [from, method] = next;
    const owner = definingClass(from, method);
    if (owner === undefined) {
      if (method === 'constructor') continue;
      throw new Error(`${root.name}.${method} not found in ${root.file} or its parent classes`);
    }
    const key = `${owner.file}#${owner.name}.${method}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const origin = `${relative(REPO_ROOT, owner.file)} (${owner.name}.${method})`;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isIdentifier(callee)) {
          const specifier = owner.imports.get(callee.text);
          if (specifier?.startsWith('@aws-sdk/')) {
            if (ts.isNewExpression(node) && callee.text.endsWith('Command')) {
              calls.push({ action: actionOfCommand(specifier, callee.text), origin });
            } else if (ts.isCallExpression(node) && callee.text.startsWith('paginate')) {
              calls.push({ action: actionOfCommand(specifier, callee.text.slice('paginate'.length)), origin });
            }
          }
        }
        if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(callee)) {
          const receiver = callee.expression.kind;
          if (receiver === ts.SyntaxKind.ThisKeyword) queue.push([root, callee.name.text]);
          if (receiver === ts.SyntaxKind.SuperKeyword) queue.push([owner.parent, callee.name.text]);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(owner.methods.get(method) as ts.Node);
  }
  return calls;
};

const compilerOptions = (): ts.CompilerOptions => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(REPO_ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    }
  );
  if (parsed === undefined) throw new Error('Cannot read tsconfig.json');
  return { ...parsed.options, noEmit: true, types: [] };
};

/** Result of {@link functionAwsCalls}. */
export interface FunctionCalls {
  calls: AwsCall[];
  /** Our source files the analysis read (absolute paths): every file the entry point imports. */
  sources: string[];
  /** Library JavaScript files the analysis read (absolute paths). */
  libraryFiles: string[];
}

/**
 * Every AWS call the function code makes, derived from the sources reachable from `entry`
 * (type-checked): `new XxxCommand()` of `@aws-sdk/*` packages, plus the calls of the Powertools
 * classes we use — the methods we call on them, or all their methods when an instance is handed
 * to another Powertools API (the idempotency persistence layer given to `makeIdempotent`).
 */
export const functionAwsCalls = (entry = join(REPO_ROOT, 'handlers', 'encrypt-stream.ts')): FunctionCalls => {
  const program = ts.createProgram([entry], compilerOptions());
  const checker = program.getTypeChecker();
  const ours = program.getSourceFiles().filter((source) => !source.fileName.includes('/node_modules/'));
  const calls: AwsCall[] = [];
  const uses = new Map<string, LibraryUse>();
  const use = (chain: DeclaredClass[], method: string): void => {
    const key = chain.map(({ declarationFile, className }) => `${declarationFile}#${className}`).join('>');
    const entryUse = uses.get(key) ?? { chain, methods: new Set<string>() };
    entryUse.methods.add(method);
    uses.set(key, entryUse);
  };
  /** Powertools instances passed (directly or as object-literal properties) to a Powertools API. */
  const handOver = (argument: ts.Expression): void => {
    const type = checker.getTypeAtLocation(argument);
    const direct = powertoolsClassOf(checker, type);
    if (direct !== undefined) use(direct, '*');
    if (ts.isObjectLiteralExpression(argument)) {
      for (const property of type.getProperties()) {
        const found = powertoolsClassOf(checker, checker.getTypeOfSymbolAtLocation(property, argument));
        if (found !== undefined) use(found, '*');
      }
    }
  };

  for (const source of ours) {
    const origin = relative(REPO_ROOT, source.fileName);
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) {
        const file = declarationFileOf(checker, checker.getSymbolAtLocation(node.expression));
        const packageName = file === undefined ? undefined : packageOf(file);
        const name = node.expression.getText(source);
        if (packageName?.startsWith('@aws-sdk/') && name.endsWith('Command')) {
          calls.push({ action: actionOfCommand(packageName, name), origin });
        }
        const found = powertoolsClassOf(checker, checker.getTypeAtLocation(node));
        if (found !== undefined) use(found, 'constructor');
        if (isPowertoolsFile(file)) node.arguments?.forEach(handOver);
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        const file = declarationFileOf(checker, checker.getSymbolAtLocation(callee));
        const packageName = file === undefined ? undefined : packageOf(file);
        if (packageName?.startsWith('@aws-sdk/') && ts.isIdentifier(callee)) {
          if (callee.text.startsWith('paginate')) {
            calls.push({ action: actionOfCommand(packageName, callee.text.slice('paginate'.length)), origin });
          } else if (/^wait(Until|For)/.test(callee.text)) {
            throw new Error(`${origin}: map the calls of waiter ${callee.text} before using it`);
          }
        }
        if (isPowertoolsFile(file)) {
          node.arguments.forEach(handOver);
          if (ts.isPropertyAccessExpression(callee)) {
            const found = powertoolsClassOf(checker, checker.getTypeAtLocation(callee.expression));
            if (found !== undefined) use(found, callee.name.text);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  const libraryFiles = new Set<string>();
  for (const entryUse of uses.values()) {
    calls.push(...libraryCalls(entryUse));
    for (const { declarationFile } of entryUse.chain) libraryFiles.add(libraryJsOf(declarationFile));
  }
  return { calls, sources: ours.map((source) => source.fileName), libraryFiles: [...libraryFiles] };
};

/** An ASL state, as far as task resources go. */
interface AslState {
  Type: string;
  Resource?: string;
  States?: Record<string, AslState>;
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

/** Partition of a task resource ARN: a partition name, or the `${Partition}` DefinitionSubstitutions placeholder. */
const PARTITION = String.raw`(?:aws[a-z-]*|\$\{Partition\})`;

/**
 * Optimised integrations whose IAM action is not their name: `lambda:invoke` needs lambda:InvokeFunction
 * ("Invoke Lambda with Step Functions", https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
const OPTIMISED_ACTIONS: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };

/** IAM action of a Task `Resource`: SDK integrations and optimised integrations, with `.sync`/`.waitForTaskToken` refused. */
const actionOfTaskResource = (resource: string): string => {
  const sdk = new RegExp(`^arn:${PARTITION}:states:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$`).exec(resource);
  if (sdk) {
    const [, service = '', operation = ''] = sdk;
    return `${service}:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
  }
  const optimised = new RegExp(`^arn:${PARTITION}:states:::([a-z0-9-]+):([a-zA-Z0-9]+)$`).exec(resource);
  if (optimised) {
    const [, service = '', operation = ''] = optimised;
    const action = `${service}:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
    return OPTIMISED_ACTIONS[action] ?? action;
  }
  throw new Error(`No IAM action known for task resource ${resource}`);
};

/**
 * Calls a service makes with the caller's credentials on behalf of an action: a producer writing to a stream
 * encrypted with a customer managed key needs kms:GenerateDataKey on the key ("Example producer permissions",
 * https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html).
 */
const IMPLICIT_CALLS: Readonly<Record<string, readonly string[]>> = {
  'kinesis:PutRecord': ['kms:GenerateDataKey'],
  'kinesis:PutRecords': ['kms:GenerateDataKey'],
};

/**
 * Every AWS call of the Task states of an ASL definition (nested Map/Parallel states included), with the
 * {@link IMPLICIT_CALLS} each one makes through its service; both carry the Task state as origin.
 */
export const stateMachineAwsCalls = (definition: { States: Record<string, AslState> }): AwsCall[] => {
  const calls: AwsCall[] = [];
  const walk = (states: Record<string, AslState>): void => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') {
        if (state.Resource === undefined) throw new Error(`Task ${name} has no Resource`);
        const action = actionOfTaskResource(state.Resource);
        for (const called of [action, ...(IMPLICIT_CALLS[action] ?? [])])
          calls.push({ action: called, origin: `${name} (ASL)` });
      }
      if (state.States) walk(state.States);
      if (state.Iterator) walk(state.Iterator.States);
      if (state.ItemProcessor) walk(state.ItemProcessor.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk(definition.States);
  return calls;
};
