import { describe, expect, it } from 'vitest';
import { checkEnvelope } from './envelope.ts';

const event = { type: 'OrderCompleted', payload: { eventId: 'e-1' } };
const codeOf = (check: () => void) => {
  try {
    check();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('checkEnvelope', () => {
  it('accepts a keyed message whose headers agree with its value, or lack them', () => {
    const headers = { eventType: 'OrderCompleted', eventId: 'e-1' };
    expect(
      codeOf(() => checkEnvelope({ key: Buffer.from('u'), headers: {} }, event, headers)),
    ).toBe('accepted');
    expect(codeOf(() => checkEnvelope({ key: Buffer.from('u'), headers: {} }, event, {}))).toBe(
      'accepted',
    );
  });

  it('refuses a message without a key', () => {
    expect(codeOf(() => checkEnvelope({ key: null, headers: {} }, event, {}))).toBe('KEY_MISSING');
    expect(codeOf(() => checkEnvelope({ key: Buffer.alloc(0), headers: {} }, event, {}))).toBe(
      'KEY_MISSING',
    );
  });

  it('refuses headers that repeat or disagree with the value', () => {
    const key = Buffer.from('u');
    const twice = { 'event-id': [Buffer.from('e-1'), Buffer.from('e-2')] };
    expect(codeOf(() => checkEnvelope({ key, headers: twice }, event, { eventId: 'e-1' }))).toBe(
      'MALFORMED_HEADERS',
    );
    expect(
      codeOf(() => checkEnvelope({ key, headers: {} }, event, { eventType: 'PaymentCompleted' })),
    ).toBe('MALFORMED_HEADERS');
    expect(codeOf(() => checkEnvelope({ key, headers: {} }, event, { eventId: 'e-2' }))).toBe(
      'MALFORMED_HEADERS',
    );
  });
});
