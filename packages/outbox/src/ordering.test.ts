import { describe, expect, it } from 'vitest';
import { publishableInOrder } from './ordering.ts';
import type { OutboxRow } from './table.ts';

const row = (id: number, key: string) => ({ id: BigInt(id), message_key: key }) as OutboxRow;
const ids = (rows: OutboxRow[]) => rows.map((r) => Number(r.id));

describe('publishableInOrder', () => {
  it('publishes every claimed row when nothing earlier is held elsewhere', () => {
    expect(ids(publishableInOrder([row(3, 'b'), row(1, 'a'), row(2, 'a')], new Map()))).toEqual([
      1, 2, 3,
    ]);
  });

  it('holds back the rows of a key that come after a row another relay holds', () => {
    const fences = new Map([['a', 5n]]);
    expect(ids(publishableInOrder([row(1, 'a'), row(7, 'a'), row(8, 'b')], fences))).toEqual([
      1, 8,
    ]);
  });

  it('holds back the rest of a key after a row that could not be encoded', () => {
    const claimed = [row(1, 'a'), row(2, 'a'), row(3, 'a'), row(4, 'b')];
    expect(ids(publishableInOrder(claimed, new Map(), new Set([2n])))).toEqual([1, 4]);
  });
});
