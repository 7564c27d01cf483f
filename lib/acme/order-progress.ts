import type { ProgressState, ProgressStep } from "../schemas/certificate";

/**
 * The steps of one order as the dashboard shows them. Every change is handed to `onChange` with
 * the whole list, in order (one save at a time, so a slow save never overwrites a newer one).
 */
export class OrderProgress {
  private readonly list: ProgressStep[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly onChange: (steps: ProgressStep[]) => void | Promise<void>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get steps(): ProgressStep[] {
    return this.list.map((step) => ({ ...step }));
  }

  running(step: string, message: string): Promise<void> {
    return this.set(step, "running", message);
  }

  done(step: string, message: string): Promise<void> {
    return this.set(step, "done", message);
  }

  failed(step: string, message: string, detail?: string): Promise<void> {
    return this.set(step, "failed", message, detail);
  }

  private set(step: string, state: ProgressState, message: string, detail?: string): Promise<void> {
    const entry: ProgressStep = { step, state, at: this.now().toISOString(), message, ...(detail ? { detail } : {}) };
    const index = this.list.findIndex((existing) => existing.step === step);
    if (index === -1) this.list.push(entry);
    else this.list[index] = entry;
    const steps = this.steps;
    this.saving = this.saving.then(async () => {
      try {
        await this.onChange(steps);
      } catch {
        // Progress is for show: a failed save must not fail the order.
      }
    });
    return this.saving;
  }
}
