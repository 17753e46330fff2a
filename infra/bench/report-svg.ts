// The SVG charts of `pnpm bench:report`: small hand-written horizontal bar charts on a
// log-10 axis (throughput, latency, ratio against target). Pure, like report-render.ts.
import type { BenchFigure } from '@commerce/testing';
import { type Chart, formatNumber, formatTarget } from './report-render.ts';

const escapeXml = (s: string) =>
  s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');

const shorten = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export interface Bar {
  value: number;
  color: string;
  label: string;
}

export interface ChartRow {
  label: string;
  bars: Bar[];
  /** A vertical tick across the row: the target. */
  marker?: number;
}

export const COLORS = {
  ours: '#3b6fb6',
  anchor: '#a0a7b4',
  met: '#2e8b57',
  missed: '#c0392b',
  target: '#222222',
};

/**
 * A horizontal bar chart on a log-10 axis (the figures span five orders of magnitude):
 * one row per label, one bar per value, an optional target tick per row.
 */
export function barChart(options: {
  title: string;
  unit: string;
  rows: readonly ChartRow[];
  legend: readonly { color: string; label: string }[];
}): string {
  const width = 1040;
  const labelWidth = 380;
  const plotLeft = labelWidth + 10;
  // Room on the right for the label of the longest bar.
  const plotRight = width - 250;
  const barHeight = 12;
  const top = 64;
  const values = options.rows.flatMap((r) => [
    ...r.bars.map((b) => b.value),
    ...(r.marker === undefined ? [] : [r.marker]),
  ]);
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive, 10)));
  const x = (v: number) =>
    plotLeft +
    ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) *
      (plotRight - plotLeft);
  const rowHeights = options.rows.map((r) => Math.max(1, r.bars.length) * (barHeight + 2) + 12);
  const height = top + rowHeights.reduce((a, b) => a + b, 0) + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  let lx = 10;
  for (const item of options.legend) {
    out.push(
      `<rect x="${lx}" y="34" width="12" height="12" fill="${item.color}"/>`,
      `<text x="${lx + 16}" y="44">${escapeXml(item.label)}</text>`,
    );
    lx += 28 + item.label.length * 7;
  }
  const bottom = height - 40;
  for (let p = lo; p <= hi * 1.0001; p *= 10) {
    const px = x(p).toFixed(1);
    out.push(
      `<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${bottom}" stroke="#e3e3e3"/>`,
      `<text x="${px}" y="${bottom + 16}" text-anchor="middle" fill="#555">${formatNumber(p)}</text>`,
    );
  }
  out.push(
    `<text x="${(plotLeft + plotRight) / 2}" y="${bottom + 32}" text-anchor="middle" fill="#555">${escapeXml(options.unit)} (log scale)</text>`,
  );
  let y = top;
  options.rows.forEach((row, i) => {
    const h = rowHeights[i] as number;
    if (i % 2 === 0)
      out.push(`<rect x="0" y="${y - 4}" width="${width}" height="${h}" fill="#f6f7f9"/>`);
    out.push(
      `<text x="${labelWidth}" y="${y + h / 2}" text-anchor="end" font-size="11">${escapeXml(shorten(row.label, 58))}</text>`,
    );
    // A bar's label starts past the bar and past the target tick, so neither covers it.
    const tickEnd = row.marker === undefined ? 0 : x(row.marker) - plotLeft + 3;
    row.bars.forEach((bar, j) => {
      const by = y + j * (barHeight + 2);
      const w = Number.isFinite(bar.value) && bar.value > 0 ? x(bar.value) - plotLeft : 0;
      out.push(
        `<rect x="${plotLeft}" y="${by}" width="${Math.max(w, 1).toFixed(1)}" height="${barHeight}" fill="${bar.color}"><title>${escapeXml(bar.label)}</title></rect>`,
        `<text x="${(plotLeft + Math.max(w, 1, tickEnd) + 4).toFixed(1)}" y="${by + barHeight - 2}" font-size="11">${escapeXml(bar.label)}</text>`,
      );
    });
    if (row.marker !== undefined) {
      const mx = x(row.marker).toFixed(1);
      out.push(
        `<line x1="${mx}" y1="${y - 3}" x2="${mx}" y2="${y + h - 9}" stroke="${COLORS.target}" stroke-width="2" stroke-dasharray="4 2"/>`,
      );
    }
    y += h;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const word = (f: BenchFigure) => (f.met === null ? 'no figure' : f.met ? 'met' : 'missed');
const rowLabel = (f: BenchFigure) => `${f.component}: ${f.metric}`;
const verdictColor = (f: BenchFigure) =>
  f.met === null ? COLORS.ours : f.met ? COLORS.met : COLORS.missed;
const VERDICT_LEGEND = [
  { color: COLORS.met, label: 'target met' },
  { color: COLORS.missed, label: 'target missed' },
  { color: COLORS.ours, label: 'no target' },
];

/** The anchor's bar beside ours, when the figure has an anchor (drawn as `scale`, labelled as measured). */
const anchorBar = (f: BenchFigure, scale: (v: number) => number, unitSuffix: string): Bar[] =>
  f.anchor
    ? [
        {
          value: scale(f.anchor.value),
          color: COLORS.anchor,
          label: `${f.anchor.name}: ${formatNumber(f.anchor.value)}${unitSuffix}`,
        },
      ]
    : [];

/** Throughput figures, ours beside the anchor. */
export function throughputChart(figures: readonly BenchFigure[]): string {
  const rows = figures
    .filter((f) => f.kind === 'throughput')
    .map((f) => ({
      label: rowLabel(f),
      bars: [
        { value: f.value, color: COLORS.ours, label: `${formatNumber(f.value)} ${f.unit}` },
        ...anchorBar(f, (v) => v, ''),
      ],
    }));
  return barChart({
    title: 'Throughput per component, beside its anchor (same run)',
    unit: 'per second',
    rows,
    legend: [
      { color: COLORS.ours, label: 'ours' },
      { color: COLORS.anchor, label: 'anchor' },
    ],
  });
}

const toMs = (value: number, unit: string) => (unit === 's' ? value * 1000 : value);

/** Latency figures in ms (seconds converted), with their target where it is on the figure. */
export function latencyChart(figures: readonly BenchFigure[]): string {
  const rows = figures
    .filter((f) => f.kind === 'latency')
    .map((f) => ({
      label: rowLabel(f),
      bars: [
        {
          value: toMs(f.value, f.unit),
          color: verdictColor(f),
          label: Number.isFinite(f.value)
            ? `${formatNumber(f.value)} ${f.unit}${f.target ? ` (${formatTarget(f.target, f.unit)}: ${word(f)})` : ''}`
            : `no figure${f.target ? ` (target ${formatTarget(f.target, f.unit)})` : ''}`,
        },
        ...anchorBar(f, (v) => toMs(v, f.unit), ` ${f.unit}`),
      ],
      ...(f.target?.on === 'value' ? { marker: toMs(f.target.threshold, f.unit) } : {}),
    }));
  return barChart({
    title: 'Latency per component (dashed: target)',
    unit: 'ms',
    rows,
    legend: [...VERDICT_LEGEND, { color: COLORS.anchor, label: 'anchor' }],
  });
}

/** Every ratio of a non-latency figure against its target (dashed), coloured met or missed. */
export function ratioChart(figures: readonly BenchFigure[]): string {
  const rows = figures
    .filter((f) => f.ratio !== null && f.kind !== 'latency' && f.target?.on !== 'value')
    .map((f) => ({
      label: rowLabel(f),
      bars: [
        {
          value: f.ratio as number,
          color: verdictColor(f),
          label: `${formatNumber(f.ratio as number)}${f.target ? ` (${formatTarget(f.target, f.unit)}: ${word(f)})` : ` of ${f.anchor?.name ?? 'anchor'}`}`,
        },
      ],
      ...(f.target ? { marker: f.target.threshold } : {}),
    }));
  return barChart({
    title: 'Ratio to the anchor against the target (dashed)',
    unit: 'figure ÷ anchor',
    rows,
    legend: VERDICT_LEGEND,
  });
}

/** The three charts of a report. */
export function charts(figures: readonly BenchFigure[]): Chart[] {
  return [
    { file: 'throughput.svg', title: 'Throughput per component', svg: throughputChart(figures) },
    { file: 'latency.svg', title: 'Latency per component', svg: latencyChart(figures) },
    { file: 'ratios.svg', title: 'Ratio vs target', svg: ratioChart(figures) },
  ];
}
