import Module from 'node:module';

type Validator = (definition: unknown, options?: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };

let installed = false;

/**
 * aws-local-stepfunctions validates the ASL in every `new StateMachine()`, i.e. on every local
 * StartExecution: 150–500 ms of CPU that blocks the whole local cloud (one process) and would be
 * billed to the latency under load. This memoises asl-validator's verdict per definition text
 * (same input, same verdict). Installed on import: import this module before aws-local-stepfunctions.
 */
export const memoiseAslValidation = (): void => {
  if (installed) return;
  installed = true;
  const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = moduleWithLoad._load;
  let memoised: Validator | undefined;
  moduleWithLoad._load = function (this: unknown, request: string, ...rest: unknown[]): unknown {
    const loaded = load.call(this, request, ...rest);
    if (request !== 'asl-validator' || typeof loaded !== 'function') return loaded;
    if (memoised === undefined) {
      const validate = loaded as Validator;
      const verdicts = new Map<string, ReturnType<Validator>>();
      memoised = (definition, options) => {
        const key = JSON.stringify([definition, options]);
        let verdict = verdicts.get(key);
        if (verdict === undefined) {
          verdict = validate(definition, options);
          verdicts.set(key, verdict);
        }
        return verdict;
      };
    }
    return memoised;
  };
};

memoiseAslValidation();
