/** Stop steps of started parts, run newest first; a failing step does not keep the rest from running. */
export class ShutdownSteps {
  readonly #steps: (() => Promise<void> | void)[] = [];

  /** Registers steps (each undoes a part started just before). */
  add(...steps: (() => Promise<void> | void)[]): void {
    this.#steps.push(...steps);
  }

  /** Runs every registered step once, newest first. */
  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // keep stopping the rest
      }
    }
  }
}
