import { type Logger, pino } from 'pino';

/**
 * Never logged, wherever they appear in a logged object: credentials in headers, secrets
 * and passwords in configuration or errors, connection strings with passwords.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.token',
  '*.apiKey',
  '*.OPERATOR_API_KEY',
  '*.DATABASE_URL',
  '*.MYSQL_PASSWORD',
];

/** The service's root logger: JSON lines, the service name on every line, errors under `err`. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}
