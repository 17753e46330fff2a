import type { Redis } from 'ioredis';

/**
 * Admission to a coupon's queue, atomic in Redis. Per coupon (keys share a hash tag):
 * `admitted` the users in the queue, `remaining` the places left, `sequence` the last
 * place given. A request is admitted only while places remain, so every admitted request
 * fits the stock: partition timing in the worker cannot make an earlier one lose.
 * Redis makes this fast; the database stays the fence (see coupon-worker).
 */
const ADMIT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return {-2} end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return {-1} end
if tonumber(redis.call('GET', KEYS[2])) <= 0 then return {0} end
redis.call('DECR', KEYS[2])
redis.call('SADD', KEYS[1], ARGV[1])
return {1, redis.call('INCR', KEYS[3])}`;

// Undoes an admission whose request could not be stored, so its place is not lost.
const RELEASE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then redis.call('INCR', KEYS[2]) end
return 1`;

// Loads the state rebuilt from the database, unless another instance did it first.
const RESTORE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('DEL', KEYS[1])
for i = 3, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

export type Admission =
  | { kind: 'admitted'; sequence: number }
  | { kind: 'duplicate' | 'sold-out' | 'unknown-state' };

/** What the database says the queue looks like (after Redis lost it). */
export interface AdmissionSnapshot {
  remaining: number;
  lastSequence: number;
  users: string[];
}

type Script = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Registers a script once (ioredis then runs it by its SHA, falling back to the source). */
function defineScript(redis: Redis, name: string, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 3, lua });
  const command = (redis as unknown as Record<string, Script>)[name] as Script;
  return command.bind(redis);
}

export class AdmissionQueue {
  private readonly prefix: string;
  private readonly admitScript: Script;
  private readonly releaseScript: Script;
  private readonly restoreScript: Script;

  constructor(redis: Redis, prefix = 'coupon') {
    this.prefix = prefix;
    this.admitScript = defineScript(redis, 'couponAdmit', ADMIT);
    this.releaseScript = defineScript(redis, 'couponRelease', RELEASE);
    this.restoreScript = defineScript(redis, 'couponRestore', RESTORE);
  }

  private keys(couponId: string): [string, string, string] {
    const base = `${this.prefix}:{${couponId}}`;
    return [`${base}:admitted`, `${base}:remaining`, `${base}:sequence`];
  }

  async admit(couponId: string, userId: string): Promise<Admission> {
    const [code, sequence] = (await this.admitScript(...this.keys(couponId), userId)) as number[];
    if (code === 1) return { kind: 'admitted', sequence: sequence as number };
    return { kind: code === -1 ? 'duplicate' : code === 0 ? 'sold-out' : 'unknown-state' };
  }

  async release(couponId: string, userId: string): Promise<void> {
    await this.releaseScript(...this.keys(couponId), userId);
  }

  async restore(couponId: string, snapshot: AdmissionSnapshot): Promise<void> {
    await this.restoreScript(
      ...this.keys(couponId),
      Math.max(0, snapshot.remaining),
      snapshot.lastSequence,
      ...snapshot.users,
    );
  }
}
