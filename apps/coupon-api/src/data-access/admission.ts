import type { Redis } from 'ioredis';
import type { Admission } from '../domain/admission.ts';

// Admission to a coupon's queue, atomic in Redis. Per coupon (keys share a hash tag):
// `admitted` the users in the queue, `remaining` the places left, `sequence` the last place
// given. {-2}: the coupon's state is missing (never loaded, or Redis lost it).
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

/** What the database says the queue looks like (to rebuild it after Redis lost it). */
export interface AdmissionSnapshot {
  remaining: number;
  lastSequence: number;
  users: string[];
}

export interface AdmissionOptions {
  /** Reads the queue of a coupon from the request log. */
  snapshot: (couponId: string) => Promise<AdmissionSnapshot>;
  prefix?: string;
}

type Script = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/** Registers a script once (ioredis then runs it by its SHA, falling back to the source). */
function defineScript(redis: Redis, name: string, lua: string): Script {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 3, lua });
  const command = (redis as unknown as Record<string, Script>)[name] as Script;
  return command.bind(redis);
}

/** Coupon queues in Redis, rebuilt from the request log whenever a coupon's state is missing. */
export function createAdmission(redis: Redis, options: AdmissionOptions): Admission {
  const prefix = options.prefix ?? 'coupon';
  const admitScript = defineScript(redis, 'couponAdmit', ADMIT);
  const releaseScript = defineScript(redis, 'couponRelease', RELEASE);
  const restoreScript = defineScript(redis, 'couponRestore', RESTORE);
  const keys = (couponId: string): [string, string, string] => {
    const base = `${prefix}:{${couponId}}`;
    return [`${base}:admitted`, `${base}:remaining`, `${base}:sequence`];
  };
  const admitOnce = async (couponId: string, userId: string) =>
    (await admitScript(...keys(couponId), userId)) as number[];
  const restore = async (couponId: string) => {
    const snapshot = await options.snapshot(couponId);
    await restoreScript(
      ...keys(couponId),
      Math.max(0, snapshot.remaining),
      snapshot.lastSequence,
      ...snapshot.users,
    );
  };

  return {
    async admit(couponId, userId) {
      let [code, sequence] = await admitOnce(couponId, userId);
      if (code === -2) {
        await restore(couponId);
        [code, sequence] = await admitOnce(couponId, userId);
      }
      if (code === 1) return { kind: 'admitted', sequence: sequence as number };
      // Lost again right after the restore (-2): refused as sold out, never admitted blind.
      return { kind: code === -1 ? 'duplicate' : 'sold-out' };
    },
    async release(couponId, userId) {
      await releaseScript(...keys(couponId), userId);
    },
  };
}
