import type { RedisClient } from '@commerce/service';
import type { Admission, AdmissionCoupon } from '../domain/admission.ts';
import { admissionKeys, defineScript } from './admission-keys.ts';

// Admission to a coupon's queue, atomic in Redis. Per coupon (keys share the hash tag
// {coupon:<id>}, so the scripts run unchanged on Redis Cluster): `admitted` the users in the
// queue, `remaining` the places left, `sequence` the last place given, `epoch` the request
// log's admission epoch the state was rebuilt under. {-2}: the state is missing (never
// loaded, Redis lost it) or older than the caller knows the log to be (ARGV[2]).
const ADMIT = `
local epoch = tonumber(redis.call('GET', KEYS[4]) or '-1')
if epoch < tonumber(ARGV[2]) or redis.call('EXISTS', KEYS[2]) == 0 then return {-2} end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return {-1} end
if tonumber(redis.call('GET', KEYS[2])) <= 0 then return {0} end
redis.call('DECR', KEYS[2])
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return {1, redis.call('INCR', KEYS[3]), epoch}`;

// Undoes an admission whose request could not be stored, so its place is not lost.
const RELEASE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then redis.call('INCR', KEYS[2]) end
return 1`;

// Loads a state rebuilt from the database, unless one of the same or a newer epoch is there
// (another instance rebuilt it meanwhile). Every key expires after the coupon's validity.
const RESTORE = `
local current = tonumber(redis.call('GET', KEYS[4]) or '-1')
if redis.call('EXISTS', KEYS[2]) == 1 and current >= tonumber(ARGV[3]) then return 0 end
redis.call('DEL', KEYS[1])
for i = 5, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
if #ARGV >= 5 then redis.call('PEXPIREAT', KEYS[1], ARGV[4]) end
redis.call('SET', KEYS[3], ARGV[2], 'PXAT', ARGV[4])
redis.call('SET', KEYS[4], ARGV[3], 'PXAT', ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'PXAT', ARGV[4])
return 1`;

/** What the database says the queue looks like (to rebuild it after Redis lost it). */
export interface AdmissionSnapshot {
  /** The new admission epoch: the log refuses places given under any older one. */
  epoch: number;
  remaining: number;
  lastSequence: number;
  users: string[];
}

export interface AdmissionOptions {
  /** Starts a new admission epoch for the coupon and reads its queue from the request log. */
  snapshot: (couponId: string) => Promise<AdmissionSnapshot>;
  /** How long after the coupon's validity its queue stays in Redis. */
  keepAfterValidityMs?: number;
}

/** Coupon queues in Redis, rebuilt from the request log whenever a coupon's state is missing. */
export function createAdmission(redis: RedisClient, options: AdmissionOptions): Admission {
  const admitScript = defineScript(redis, 'couponAdmit', ADMIT);
  const releaseScript = defineScript(redis, 'couponRelease', RELEASE);
  const restoreScript = defineScript(redis, 'couponRestore', RESTORE);
  const keepMs = options.keepAfterValidityMs ?? 60 * 60_000;
  const expireAt = (coupon: AdmissionCoupon) => coupon.validUntil.getTime() + keepMs;
  // One rebuild per coupon at a time in this process: a rush finds the state missing in
  // hundreds of requests at once, and each rebuild starts an epoch that fences the others.
  const restoring = new Map<string, Promise<void>>();
  const restoreOnce = async (coupon: AdmissionCoupon) => {
    const snapshot = await options.snapshot(coupon.id);
    await restoreScript(
      ...admissionKeys(coupon.id),
      Math.max(0, snapshot.remaining),
      snapshot.lastSequence,
      snapshot.epoch,
      expireAt(coupon),
      ...snapshot.users,
    );
  };
  const restore = (coupon: AdmissionCoupon) => {
    const running = restoring.get(coupon.id);
    if (running) return running;
    const started = restoreOnce(coupon).finally(() => restoring.delete(coupon.id));
    restoring.set(coupon.id, started);
    return started;
  };
  const admitOnce = async (coupon: AdmissionCoupon, userId: string, minEpoch: number) =>
    (await admitScript(
      ...admissionKeys(coupon.id),
      userId,
      minEpoch,
      expireAt(coupon),
    )) as number[];

  return {
    async admit(coupon, userId, minEpoch = 0) {
      let [code, sequence, epoch] = await admitOnce(coupon, userId, minEpoch);
      if (code === -2) {
        await restore(coupon);
        [code, sequence, epoch] = await admitOnce(coupon, userId, minEpoch);
      }
      if (code === 1)
        return { kind: 'admitted', sequence: sequence as number, epoch: epoch as number };
      // Lost again right after the restore (-2): refused as sold out, never admitted blind.
      return { kind: code === -1 ? 'duplicate' : 'sold-out' };
    },
    async release(couponId, userId) {
      await releaseScript(...admissionKeys(couponId), userId);
    },
  };
}
