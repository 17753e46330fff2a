/** Connection settings of one MySQL/MariaDB database, as services configure them. */
export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Parses `mysql://user:password@host:port/database` (the form Prisma and the apps use). */
export function parseDatabaseUrl(url: string): DatabaseConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`database URL must start with mysql:// (got ${parsed.protocol}//)`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '')
    throw new Error('database URL must name a database: mysql://user:pass@host:3306/<database>');
  return {
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

export function formatDatabaseUrl(config: DatabaseConfig): string {
  const auth = `${encodeURIComponent(config.user)}:${encodeURIComponent(config.password)}`;
  return `mysql://${auth}@${config.host}:${config.port}/${encodeURIComponent(config.database)}`;
}
