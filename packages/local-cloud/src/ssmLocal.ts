import { awsJsonError, type LocalRequest, type LocalResponse, type LocalService } from './gateway';
import { regionPartition } from './regionPartition';

/** Gateway prefix of the SSM JSON protocol. */
export const SSM_TARGET_PREFIX = 'AmazonSSM';

/** Where a parameter exists: one account/region, or everywhere when omitted. */
export interface LocalParameterScope {
  account?: string;
  region?: string;
}

interface StoredParameter {
  name: string;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  version: number;
  lastModified: number;
  scope: LocalParameterScope;
}

const parameterArn = (name: string, account: string, region: string): string =>
  `arn:${regionPartition(region)}:ssm:${region}:${account}:parameter/${name.replace(/^\//, '')}`;

/**
 * A small local SSM Parameter Store: `GetParameter` (what the handler calls) from an in-memory
 * map filled with {@link LocalSsm.setParameter}; unknown names give `ParameterNotFound`.
 */
export class LocalSsm {
  /** Gateway service; register under {@link SSM_TARGET_PREFIX}. */
  public readonly service: LocalService = async (req) => this.#handle(req);
  readonly #parameters: StoredParameter[] = [];

  /** `parameters`: name → value, existing in every account and region. */
  public constructor(parameters: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(parameters)) this.setParameter(name, value);
  }

  /** Creates or overwrites a String parameter (version + 1 on overwrite). */
  public setParameter(name: string, value: string, scope: LocalParameterScope = {}): void {
    const existing = this.#parameters.find(
      (parameter) =>
        parameter.name === name && parameter.scope.account === scope.account && parameter.scope.region === scope.region
    );
    if (existing !== undefined) {
      existing.value = value;
      existing.version += 1;
      existing.lastModified = Date.now() / 1000;
      return;
    }
    this.#parameters.push({ name, value, type: 'String', version: 1, lastModified: Date.now() / 1000, scope });
  }

  /** Removes a parameter; returns whether it existed. */
  public deleteParameter(name: string, scope: LocalParameterScope = {}): boolean {
    const index = this.#parameters.findIndex(
      (parameter) =>
        parameter.name === name && parameter.scope.account === scope.account && parameter.scope.region === scope.region
    );
    if (index === -1) return false;
    this.#parameters.splice(index, 1);
    return true;
  }

  /** The parameter `account`/`region` sees: the most specific scope wins. */
  #lookup(name: string, account: string, region: string): StoredParameter | undefined {
    const candidates = this.#parameters.filter(
      (parameter) =>
        parameter.name === name &&
        (parameter.scope.account ?? account) === account &&
        (parameter.scope.region ?? region) === region
    );
    const specificity = (parameter: StoredParameter): number =>
      (parameter.scope.account === undefined ? 0 : 2) + (parameter.scope.region === undefined ? 0 : 1);
    return candidates.sort((a, b) => specificity(b) - specificity(a))[0];
  }

  #render(parameter: StoredParameter, account: string, region: string): Record<string, unknown> {
    return {
      Name: parameter.name,
      Type: parameter.type,
      Value: parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModified,
      ARN: parameterArn(parameter.name, account, region),
      DataType: 'text',
    };
  }

  async #handle(req: LocalRequest): Promise<LocalResponse> {
    const input = (req.json ?? {}) as { Name?: unknown };
    switch (req.operation) {
      case 'GetParameter': {
        if (typeof input.Name !== 'string' || input.Name === '') {
          return awsJsonError('ValidationException', 'Parameter name must not be empty');
        }
        const parameter = this.#lookup(input.Name, req.account, req.region);
        if (parameter === undefined) return awsJsonError('ParameterNotFound', `Parameter ${input.Name} not found.`);
        return { status: 200, body: { Parameter: this.#render(parameter, req.account, req.region) } };
      }
      default:
        return awsJsonError('UnknownOperationException', `Local SSM does not implement ${req.operation}`);
    }
  }
}
