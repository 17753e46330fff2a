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
