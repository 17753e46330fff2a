import type { Logger } from 'pino';
import type { HttpApp } from './http/app.ts';
import { exitAfterFatal, stopOnSignal } from './lifecycle.ts';

/** Something a worker starts after its clients are up and stops before they close. */
export interface WorkerPart {
  start(): unknown;
  stop(): Promise<void>;
}

export interface WorkerParts {
  /** The worker's own HTTP: /healthz, /readyz, /metrics. */
  ops: HttpApp;
  /** Started in this order, stopped in reverse: consumers last in, first out. */
  parts: WorkerPart[];
  /** Releases the clients (producers, Redis, database) once every part has stopped. */
  close(): Promise<void>;
}

export interface RunWorkerOptions {
  name: string;
  logger: Logger;
  host: string;
  port: number;
  /**
   * Builds the worker. `onFatal` is for failures nobody can classify (a bug): the worker
   * stops and exits 1 so the supervisor restarts it, the message uncommitted.
   */
  build(onFatal: (err: Error) => void): Promise<WorkerParts>;
}

/**
 * The start-up and shutdown of every worker process: build, start the parts, listen;
 * on a signal, stop intake first (ops HTTP, then consumers finish and commit in-flight
 * work), then the clients.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { logger } = options;
  let stopping: Promise<void> | undefined;
  const worker = await options.build((err) => {
    logger.fatal({ err }, 'unrecoverable failure; exiting so the supervisor restarts the worker');
    exitAfterFatal(stop);
  });
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await worker.ops.close();
      for (const part of [...worker.parts].reverse()) await part.stop();
      await worker.close();
    })();
    return stopping;
  }
  stopOnSignal(logger, stop);
  for (const part of worker.parts) await part.start();
  await worker.ops.listen({ host: options.host, port: options.port });
  const address = worker.ops.server.address();
  logger.info(
    { port: typeof address === 'object' ? address?.port : options.port },
    `${options.name} started`,
  );
}
