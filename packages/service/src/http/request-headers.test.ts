import { describe, expect, it } from 'vitest';
import { safeRequestId, validTraceparent } from './request-headers.ts';

describe('incoming tracing headers', () => {
  it('when X-Request-Id is a short printable id, then it is kept', () => {
    expect(safeRequestId('gw-7f3a:01/2')).toBe('gw-7f3a:01/2');
    expect(safeRequestId('a'.repeat(100))).toBe('a'.repeat(100));
  });

  it('when X-Request-Id is long, empty, repeated or holds spaces or control characters, then it is refused', () => {
    for (const bad of ['', 'a'.repeat(101), 'two words', 'line\nbreak', '<script>', 'é']) {
      expect(safeRequestId(bad)).toBeUndefined();
    }
    expect(safeRequestId(['a', 'b'])).toBeUndefined();
    expect(safeRequestId(undefined)).toBeUndefined();
  });

  it('when traceparent follows W3C Trace Context, then it is kept', () => {
    const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(validTraceparent(valid)).toBe(valid);
    // A later version may carry more fields: the level-1 part is kept.
    expect(validTraceparent(`01-${valid.slice(3)}-more`)).toBe(`01-${valid.slice(3)}`);
  });

  it('when traceparent is malformed, then it is ignored', () => {
    for (const bad of [
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // zero trace id
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // zero parent id
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', // version 00 with more
      '00-4bf92f35-00f067aa0ba902b7-01',
      'x'.repeat(10_000),
    ]) {
      expect(validTraceparent(bad)).toBeUndefined();
    }
  });
});
