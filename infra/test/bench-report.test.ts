// The pure parts of `pnpm bench:report`: met/missed, the summary table, the generated
// section's place in docs/benchmarks.md (the charts: bench-charts.test.ts). No stack needed.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atLeast, atMost, benchFigure, targetMet, writeBenchResults } from '@commerce/testing';
import { describe, expect, it } from 'vitest';
import {
  formatNumber,
  formatTarget,
  renderSection,
  renderTable,
  replaceSection,
  SECTION_END,
  SECTION_START,
} from '../bench/report-render.ts';
import { charts } from '../bench/report-svg.ts';
import {
  consumer,
  lateness,
  meta,
  producer,
  run,
  rush,
  untargeted,
} from './support/bench-figures.ts';

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

describe('writeBenchResults', () => {
  it('appends to the file, so the scripts of one bench command share it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bench-result-')), 'result.json');
    const one = { component: 'c', metric: 'm', unit: 'ms', value: 5, target: atMost(10) };
    writeBenchResults([one], file);
    writeBenchResults([{ ...one, value: 20 }], file);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.map((f: { value: number; met: boolean }) => [f.value, f.met])).toEqual([
      [5, true],
      [20, false],
    ]);
  });

  it('writes nothing without a file, and still returns the figures', () => {
    expect(
      writeBenchResults([{ component: 'c', metric: 'm', unit: 'ms', value: 1 }], ''),
    ).toHaveLength(1);
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

  it('counts a target without a figure as neither met nor missed', () => {
    const none = { ...lateness, value: Number.NaN, met: null };
    expect(renderSection(meta, [run([producer, consumer, none])], [])).toContain(
      '1 of 3 targets met, 1 missed, 1 without a figure',
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
