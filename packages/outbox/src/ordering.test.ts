import { describe, expect, it } from 'vitest';
import { beforeFences, keyRuns } from './ordering.ts';
import type { OutboxRow } from './table.ts';

const row = (id: number, key: string) => ({ id: BigInt(id), message_key: key }) as OutboxRow;
const ids = (rows: OutboxRow[]) => rows.map((r) => Number(r.id));

describe('beforeFences', () => {
  it('keeps every claimed row, in id order, when nothing earlier is outside the claim', () => {
    expect(ids(beforeFences([row(3, 'b'), row(1, 'a'), row(2, 'a')], new Map()))).toEqual([
      1, 2, 3,
    ]);
  });

  it('holds back the rows of a key from an earlier row outside the claim on', () => {
    const fences = new Map([['a', 5n]]);
    expect(ids(beforeFences([row(1, 'a'), row(7, 'a'), row(8, 'b')], fences))).toEqual([1, 8]);
  });
});

describe('keyRuns', () => {
  it('groups rows by key in id order, keys in the order of their first row', () => {
    const runs = keyRuns([row(4, 'b'), row(2, 'a'), row(1, 'b'), row(3, 'a')]);
    expect(runs.map(ids)).toEqual([
      [1, 4],
      [2, 3],
    ]);
  });
});
