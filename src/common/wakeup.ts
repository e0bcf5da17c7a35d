/**
 * One waiter sleeps in wait() until the next wake(); a wake() with no one
 * waiting is dropped, so the waiter re-checks its condition after each wait.
 */
export class Wakeup {
  private resume: (() => void) | null = null;

  wait(): Promise<void> {
    return new Promise<void>((resolve) => (this.resume = resolve));
  }

  /** An arrow property, so it can be passed as an event listener as is. */
  readonly wake = (): void => {
    const resume = this.resume;
    this.resume = null;
    resume?.();
  };
}
