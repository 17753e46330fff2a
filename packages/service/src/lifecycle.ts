import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';

/** How long a service's stop may take after SIGTERM before the process exits 1 regardless. */
export const shutdownGraceMs = 20_000;

/**
 * Keeps the process up until SIGINT/SIGTERM (or an uncaught error), then runs `stop` once:
 * stop intake, finish in-flight work, commit, disconnect. A second signal, or `stop`
 * taking longer than `graceMs`, exits at once.
 */
export function stopOnSignal(
  logger: Logger,
  stop: () => Promise<void>,
  graceMs = shutdownGraceMs,
): void {
  closeWithGrace({ delay: graceMs }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an uncaught error');
    else logger.info({ signal }, 'stopping');
    await stop();
    logger.info('stopped');
  });
}

/**
 * After a failure nobody can classify (a bug, or a consumer that stopped hearing from Kafka):
 * stop, then exit 1 so the supervisor starts a fresh process. The stop is bounded by the
 * same grace as a signal's, because what failed may be what it waits on: a consumer cut off
 * from a broker that stopped answering never finishes its disconnect.
 */
export function exitAfterFatal(stop: () => Promise<void>, graceMs = shutdownGraceMs): void {
  setTimeout(() => process.exit(1), graceMs).unref();
  void stop().finally(() => process.exit(1));
}
