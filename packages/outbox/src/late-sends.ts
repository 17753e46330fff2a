/**
 * Sends that outlived their round (see `maxRoundWaitMs`), and the topics they hold. A
 * topic stays busy until its late send settles: the relay's idempotent producer numbers
 * each partition's batches in sequence, and a second send to a partition whose earlier
 * send is still unanswered would be refused out of sequence (or break the producer's
 * numbering for later sends). Rows for a busy topic wait for a later round.
 */
export class LateSends {
  private readonly pending = new Set<Promise<void>>();
  private readonly busy = new Map<string, number>();

  /** Whether any of `topics` has a send still in flight. */
  holdsAny(topics: readonly string[]): boolean {
    return topics.some((topic) => this.busy.has(topic));
  }

  /** Marks `topics` busy until `work` (the late send and its bookkeeping) settles. */
  track(topics: readonly string[], work: Promise<void>): void {
    for (const topic of topics) this.busy.set(topic, (this.busy.get(topic) ?? 0) + 1);
    const done = work.finally(() => {
      this.pending.delete(done);
      for (const topic of topics) {
        const left = (this.busy.get(topic) ?? 1) - 1;
        if (left > 0) this.busy.set(topic, left);
        else this.busy.delete(topic);
      }
    });
    this.pending.add(done);
  }

  /** Resolves when every late send settled (they never reject: their errors are recorded). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.pending);
  }
}
