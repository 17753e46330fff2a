/**
 * When progress happened (rows published, events consumed): a fault test reads from it how
 * long progress stopped around a fault, its measured recovery time.
 */
export class Timeline {
  private readonly marks: number[] = [];
  private total = 0;

  mark(count: number, at = Date.now()): void {
    this.total += count;
    this.marks.push(at);
  }

  get count(): number {
    return this.total;
  }

  /** The first progress at or after `since`, or undefined. */
  firstAfter(since: number): number | undefined {
    return this.marks.find((at) => at >= since);
  }

  /**
   * The longest stretch without progress between `from` and `to` (ms), counting from `from`
   * to the first mark and from the last mark to `to`: how long producers or consumers stalled.
   */
  longestGap(from: number, to: number): number {
    let previous = from;
    let longest = 0;
    for (const at of this.marks) {
      if (at < from) continue;
      if (at > to) break;
      longest = Math.max(longest, at - previous);
      previous = at;
    }
    return Math.max(longest, to - previous);
  }
}
