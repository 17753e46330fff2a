import { type Logger, pino } from 'pino';

/** The service's root logger: JSON lines, the service name on every line, errors under `err`. */
export function createLogger(service: string, level: string): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
