// The pure parts of `pnpm bench:report`: met/missed, the summary table, the generated
// section's place in docs/benchmarks.md, and the SVG charts. No stack needed.
import { atLeast, atMost, benchFigure, targetMet } from '@commerce/testing';
import { describe, expect, it } from 'vitest';
import {
  type BenchRun,
  formatNumber,
  formatTarget,
  type ReportMeta,
  renderSection,
  renderTable,
  replaceSection,
  SECTION_END,
  SECTION_START,
} from '../bench/report-render.ts';
import { barChart, charts } from '../bench/report-svg.ts';

const producer = benchFigure(
  {
    component: 'kafka producer',
    metric: 'EventProducer.publish',
    kind: 'throughput',
    unit: 'msgs/s',
    value: 50_000,
    anchor: { name: 'ProducerPerformance', value: 200_000 },
    target: atLeast(0.25),
  },
  1.5,
);
const consumer = benchFigure(
  {
    component: 'kafka consumer',
    metric: 'ConsumerRunner',
    kind: 'throughput',
    unit: 'msgs/s',
    value: 15_000,
    anchor: { name: 'ConsumerPerformance', value: 300_000 },
    target: atLeast(0.3),
  },
  1.5,
);
const lateness = benchFigure(
  {
    component: 'webhook-relay',
    metric: 'retry lateness p99',
    kind: 'latency',
    unit: 'ms',
    value: 884,
    target: atMost(250),
  },
  2,
);
const rush = benchFigure(
  {
    component: 'coupon-worker',
    metric: 'rush <to> all NOTIFIED',
    kind: 'latency',
    unit: 's',
    value: 0.1,
    target: atMost(10),
  },
  2,
);
const untargeted = benchFigure(
  { component: 'gateway', metric: 'a | b', kind: 'throughput', unit: 'req/s', value: 9_000 },
  2,
);

const run = (figures = [producer, consumer, lateness, rush, untargeted]): BenchRun => ({
  name: 'kafka',
  command: 'pnpm --filter @commerce/kafka bench',
  seconds: 180,
  exitCode: 0,
  loadBefore: 1.2,
  loadAfter: 2.3,
  figures,
});
const meta: ReportMeta = {
  startedAt: '2026-12-03T15:40:00.000Z',
  quick: true,
  command: 'pnpm bench:report --quick',
  machine: { cpu: 'Some CPU @ 2.0GHz', cores: 2, memoryGiB: 24 },
  versions: { Node: '24.22.3', Kafka: '4.1.2', kafkajs: '2.2.4' },
  loadStart: [1, 2, 3],
  loadEnd: [4, 5, 6],
  seconds: 600,
};

describe('target met or missed', () => {
  it('judges a ratio target on the ratio, from value ÷ anchor', () => {
    expect(producer.ratio).toBe(0.25);
    expect(producer.met).toBe(true); // at the threshold counts as met
    expect(consumer.ratio).toBeCloseTo(0.05);
    expect(consumer.met).toBe(false);
  });

  it('judges an upper bound on the figure itself', () => {
    expect(lateness.met).toBe(false);
    expect(rush.met).toBe(true);
    expect(targetMet(atMost(25), 25, null)).toBe(true);
  });

  it('has no verdict without a target, nor without a figure', () => {
    expect(untargeted.met).toBeNull();
    expect(untargeted.ratio).toBeNull();
    expect(targetMet(atLeast(0.5), 1, null)).toBeNull();
    expect(targetMet(atLeast(0.5), 1, Number.NaN)).toBeNull();
    expect(targetMet(atMost(100), Number.NaN, null)).toBeNull();
  });

  it("keeps a script's own ratio (median of per-round ratios) over value ÷ anchor", () => {
    const f = benchFigure({
      component: 'x',
      metric: 'y',
      unit: '/s',
      value: 10,
      anchor: { name: 'z', value: 100 },
      ratio: 0.6,
      target: atLeast(0.5),
    });
    expect(f.ratio).toBe(0.6);
    expect(f.met).toBe(true);
  });
});

describe('the summary table', () => {
  it('has one row per figure, says "missed" and escapes table pipes', () => {
    const table = renderTable([run()]);
    const lines = table.split('\n');
    expect(lines[0]).toBe('| component | metric | figure | anchor | ratio | target | verdict |');
    expect(lines).toHaveLength(2 + 5);
    expect(lines[2]).toBe(
      '| kafka producer | EventProducer.publish | 50,000 msgs/s | ProducerPerformance: 200,000 msgs/s | 0.25 | ratio ≥ 0.25 | met |',
    );
    expect(lines[3]).toContain('| 0.050 | ratio ≥ 0.3 | **missed** |');
    expect(lines[4]).toContain('| 884 ms | — | — | ≤ 250 ms | **missed** |');
    expect(lines[6]).toBe('| gateway | a \\| b | 9,000 req/s | — | — | — | — |');
  });

  it('shows a failed bench command as a row', () => {
    const table = renderTable([{ ...run([producer]), exitCode: 1 }]);
    expect(table).toContain('**failed** (exit 1)');
    expect(table).toContain('1 figures before the failure');
  });

  it('formats figures to three significant digits at most', () => {
    expect(formatNumber(1234.6)).toBe('1,235');
    expect(formatNumber(12.34)).toBe('12.3');
    expect(formatNumber(1.234)).toBe('1.23');
    expect(formatNumber(0.01534)).toBe('0.015');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatTarget(atMost(10), 's')).toBe('≤ 10 s');
    expect(formatTarget(null, 's')).toBe('—');
  });
});

describe('the generated section', () => {
  const section = renderSection(meta, [run()], charts(run().figures));

  it('has the header: quick run, command, machine, versions, load, targets', () => {
    expect(section.startsWith(SECTION_START)).toBe(true);
    expect(section.endsWith(SECTION_END)).toBe(true);
    expect(section).toContain('**Quick run**');
    expect(section).toContain('started 2026-12-03 15:40 UTC, 10 min in all');
    expect(section).toContain('- Command: `pnpm bench:report --quick`');
    expect(section).toContain('- Machine: Some CPU @ 2.0GHz, 2 cores, 24 GiB memory');
    expect(section).toContain('- Versions: Node 24.22.3, Kafka 4.1.2, kafkajs 2.2.4');
    expect(section).toContain('1.00 / 2.00 / 3.00 at the start, 4.00 / 5.00 / 6.00 at the end');
    expect(section).toContain('2 of 4 targets met, 2 missed');
    expect(section).toContain('![Ratio vs target](charts/ratios.svg)');
    expect(section).toContain(
      '| kafka | `pnpm --filter @commerce/kafka bench` | 180 s | 1.2 → 2.3 | 5 | 0 |',
    );
  });

  it('says a full run is one', () => {
    expect(renderSection({ ...meta, quick: false }, [run()], [])).toContain('Full run');
  });

  it('goes below the top heading the first time and replaces only itself after', () => {
    const doc = '# Benchmarks\n\nIntro.\n\n## Kafka runtime\n\nHand-written.\n';
    const first = replaceSection(doc, section);
    expect(first.startsWith(`# Benchmarks\n\n${SECTION_START}`)).toBe(true);
    expect(first).toContain(`${SECTION_END}\n\nIntro.\n\n## Kafka runtime\n\nHand-written.\n`);
    const again = replaceSection(first, `${SECTION_START}\nnew\n${SECTION_END}`);
    expect(again).toBe(first.replace(section, `${SECTION_START}\nnew\n${SECTION_END}`));
    expect(again).not.toContain('kafka producer');
    expect(() => replaceSection(`# B\n${SECTION_END}\n`, section)).toThrow(/one report marker/);
  });
});

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

  it('draws an empty chart without failing', () => {
    expect(barChart({ title: 't', unit: 'u', rows: [], legend: [] })).toContain('</svg>');
  });
});
