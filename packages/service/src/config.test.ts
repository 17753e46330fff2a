import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { booleanFromEnv, commonEnv, consumerEnv, consumerTuning, loadConfig } from './config.ts';

const schema = z.object({ ...commonEnv, FEATURE: booleanFromEnv.default(false) });
const valid = {
  PORT: '3000',
  KAFKA_BROKERS: '127.0.0.1:9092, b2:9093',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
};

describe('loadConfig', () => {
  it('parses and coerces a valid environment, with defaults', () => {
    expect(loadConfig(schema, valid)).toEqual({
      LOG_LEVEL: 'info',
      HOST: '0.0.0.0',
      PORT: 3000,
      KAFKA_BROKERS: ['127.0.0.1:9092', 'b2:9093'],
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
      FEATURE: false,
    });
  });

  it('names every wrong variable and how to fix it', () => {
    const run = () =>
      loadConfig(schema, {
        ...valid,
        PORT: 'eighty',
        KAFKA_BROKERS: 'localhost',
        FEATURE: 'maybe',
      });
    expect(run).toThrow(/PORT: .*number/);
    expect(run).toThrow(/KAFKA_BROKERS: .*host:port/);
    expect(run).toThrow(/FEATURE: use true or false/);
  });

  it('reads "false" as false, unlike z.coerce.boolean', () => {
    expect(loadConfig(schema, { ...valid, FEATURE: 'false' }).FEATURE).toBe(false);
    expect(loadConfig(schema, { ...valid, FEATURE: 'yes' }).FEATURE).toBe(true);
  });
});

describe('consumerEnv and consumerTuning', () => {
  const consumerSchema = z.object({ ...commonEnv, ...consumerEnv });

  it('when nothing is set, then the runner gets the defaults and its own stall bound', () => {
    expect(consumerTuning(loadConfig(consumerSchema, valid))).toEqual({
      partitionsConsumedConcurrently: 3,
      sessionTimeoutMs: 30_000,
    });
  });

  it('when the stall bound is set, then the runner gets it; below 5 s it is refused', () => {
    const config = loadConfig(consumerSchema, { ...valid, CONSUMER_STALL_TIMEOUT_MS: '8000' });
    expect(consumerTuning(config)).toMatchObject({ stallTimeoutMs: 8_000 });
    expect(() =>
      loadConfig(consumerSchema, { ...valid, CONSUMER_STALL_TIMEOUT_MS: '100' }),
    ).toThrow(/CONSUMER_STALL_TIMEOUT_MS/);
  });
});
