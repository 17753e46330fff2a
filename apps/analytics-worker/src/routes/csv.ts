import type { FastifyReply, FastifyRequest } from 'fastify';

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: a header line, then one line per row, CRLF line ends. */
export function toCsv(columns: readonly string[], rows: readonly object[]): string {
  const lines = [columns.map(cell).join(',')];
  for (const row of rows)
    lines.push(columns.map((c) => cell((row as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Whether the caller asked for CSV (`Accept: text/csv`) rather than JSON. */
export function wantsCsv(request: FastifyRequest): boolean {
  return /\btext\/csv\b/i.test(request.headers.accept ?? '');
}

/** Answers with the CSV of `rows` when the caller asked for it; otherwise returns `json`. */
export function jsonOrCsv<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  json: T,
  csv: () => { columns: readonly string[]; rows: readonly object[] },
): T | FastifyReply {
  if (!wantsCsv(request)) return json;
  const { columns, rows } = csv();
  return reply.type('text/csv; charset=utf-8').send(toCsv(columns, rows));
}
