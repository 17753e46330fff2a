// The SVG charts of `pnpm bench:report`: bars, labels, target ticks, the log axis.
import type { BenchFigure } from '@commerce/testing';
import { describe, expect, it } from 'vitest';
import { barChart, charts } from '../bench/report-svg.ts';
import { run } from './support/bench-figures.ts';

describe('the SVG charts', () => {
  const svgs = Object.fromEntries(charts(run().figures).map((c) => [c.file, c.svg]));

  it('draws throughput bars for ours and the anchor, labelled and escaped', () => {
    const svg = svgs['throughput.svg'] as string;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('kafka producer: EventProducer.publish');
    expect(svg).toContain('ProducerPerformance: 200,000');
    expect(svg).toContain('gateway: a | b');
    expect(svg.match(/<rect x="390"/g)).toHaveLength(5); // 2 + 2 + 1 bars
  });

  it('draws latencies in ms with their target tick, seconds converted', () => {
    const svg = svgs['latency.svg'] as string;
    expect(svg).toContain('884 ms (≤ 250 ms: missed)');
    expect(svg).toContain('coupon-worker: rush &lt;to&gt; all NOTIFIED');
    expect(svg).toContain('0.10 s (≤ 10 s: met)');
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).not.toContain('<to>');
  });

  it('draws each ratio against its target, coloured by the verdict', () => {
    const svg = svgs['ratios.svg'] as string;
    expect(svg).toContain('0.25 (ratio ≥ 0.25: met)');
    expect(svg).toContain('0.050 (ratio ≥ 0.3: missed)');
    expect(svg).toMatch(/fill="#2e8b57"><title>0.25/);
    expect(svg).toMatch(/fill="#c0392b"><title>0.050/);
    expect(svg).not.toContain('retry lateness'); // its target is on the figure, not a ratio
  });

  it('spans the values on a log axis, whole decades', () => {
    const svg = barChart({
      title: 't',
      unit: 'u',
      rows: [{ label: 'a', bars: [{ value: 3, color: '#000', label: '3' }], marker: 2_000 }],
      legend: [],
    });
    const ticks = [...svg.matchAll(/text-anchor="middle" fill="#555">([^<]+)</g)].map((m) => m[1]);
    expect(ticks).toEqual(['1', '10', '100', '1,000', '10,000', 'u (log scale)']);
  });

  it('says "no figure" for a value the run did not measure, not "missed"', () => {
    const none = { ...run().figures[2], value: Number.NaN, met: null } as BenchFigure;
    const svg = charts([none]).find((c) => c.file === 'latency.svg')?.svg;
    expect(svg).toContain('no figure (target ≤ 250 ms)');
    expect(svg).not.toContain('missed)');
  });

  it('draws an empty chart without failing', () => {
    expect(barChart({ title: 't', unit: 'u', rows: [], legend: [] })).toContain('</svg>');
  });
});
