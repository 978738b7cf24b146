/**
 * The paper's figure 1 per run: NB201 test accuracy on the left axis and the alignment Λ on a second,
 * right axis of the same panel (draw/lines.ts y2, charts.ts nb201Spec), drawn on the SVG painter.
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../src/core/config';
import type { Nb201Entry, Nb201Table } from '../../src/eval/nb201-lookup';
import { nb201Spec } from '../../src/ui/charts';
import { drawLines, lineMargins } from '../../src/ui/draw/lines';
import { SvgPainter } from '../../src/ui/draw/painter';
import { ChartStore } from '../../src/ui/store';
import { History } from '../../src/worker/history';
import { alphasOf, cellsOf } from '../../src/worker/layout';
import type { RaceInfo } from '../../src/worker/protocol';
import { fakeMetrics } from './helpers';

const texts = (svg: string) => [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ attrs: m[1], text: m[2] }));
const attr = (attrs: string, name: string) => Number(new RegExp(` ${name}="([^"]*)"`).exec(attrs)?.[1]);
/** Points of the data line drawn in `stroke` (legend swatches are 2.5 wide, data lines `width`). */
const polyline = (svg: string, stroke: string, dashed: boolean, width = 1.6) => {
  const re = new RegExp(`<polyline points="([^"]*)" fill="none" stroke="${stroke}" stroke-width="${width}"[^>]*?${dashed ? ' stroke-dasharray' : '/>'}`);
  const m = re.exec(svg);
  if (!m) return null;
  const v = m[1].split(' ').map(Number);
  return Array.from({ length: v.length / 2 }, (_, i) => [v[2 * i], v[2 * i + 1]]);
};

describe('second y-axis', () => {
  it('scales right-axis series on their own domain, with ticks and titles on both sides', () => {
    const W = 400, H = 200;
    const x = [0, 1, 2, 3];
    const p = new SvgPainter(W, H);
    drawLines(p, {
      series: [{ label: 'acc (left)', color: '#c00', x, y: [50, 60, 70, 80] }, { label: 'Λ (right)', color: '#00c', dash: [5, 4], axis: 'right', x, y: [0, 0.25, 0.5, 1] }],
      xDomain: [0, 3], yDomain: [50, 100], yFormat: (v) => `${v}%`, yLabel: 'test accuracy', y2: { domain: [0, 1], label: 'Λ' },
    });
    const svg = p.toString();
    const { left, right } = lineMargins({ yLabel: 'x', y2: { label: 'Λ' } });
    expect([left, right]).toEqual([58, 58]);
    const t = texts(svg);
    // left ticks end at the left margin, right ticks start past the right axis
    const leftTicks = t.filter((e) => e.text.endsWith('%'));
    expect(leftTicks.map((e) => e.text)).toEqual(['50%', '60%', '70%', '80%', '90%', '100%']);
    expect(leftTicks.every((e) => attr(e.attrs, 'x') === left - 5 && e.attrs.includes('text-anchor="end"'))).toBe(true);
    const rightTicks = t.filter((e) => attr(e.attrs, 'x') === W - right + 6);
    expect(rightTicks.map((e) => e.text)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(rightTicks.every((e) => e.attrs.includes('text-anchor="start"'))).toBe(true);
    // axis titles: a phrase written vertically, a symbol upright
    expect(t.find((e) => e.text === 'test accuracy')!.attrs).toContain('rotate(-90');
    expect(t.find((e) => e.text === 'Λ')!.attrs).not.toContain('rotate');
    // both series fill the same vertical range: 50 % on the left and Λ = 0 on the right share the bottom
    const acc = polyline(svg, '#c00', false)!;
    const lam = polyline(svg, '#00c', true)!;
    const bottom = acc[0][1], at100 = bottom - (bottom - acc[3][1]) / 0.6; // 80 % is 60 % of the way up
    expect(lam[0][1]).toBeCloseTo(bottom, 1);
    expect(lam[3][1]).toBeCloseTo(at100, 1); // Λ = 1 at the top, where 100 % is
    expect(lam[2][1]).toBeCloseTo((bottom + at100) / 2, 1);
    expect(acc[0][0]).toBe(left);
    expect(acc[3][0]).toBe(W - right);
    // a legend entry per series
    expect(t.map((e) => e.text)).toEqual(expect.arrayContaining(['acc (left)', 'Λ (right)']));
  });

  it('leaves a one-axis chart as it was', () => {
    const a = new SvgPainter(300, 150);
    drawLines(a, { series: [{ label: 's', color: '#c00', x: [0, 1], y: [1, 2] }], xDomain: [0, 1] });
    expect(lineMargins({})).toEqual({ left: 44, right: 10 });
    expect(polyline(a.toString(), '#c00', false)!.map((pt) => pt[0])).toEqual([44, 290]);
  });
});

describe('figure 1 panel (nb201Spec)', () => {
  const cfg = makeConfig({ space: 'nb201', C: 2, N: 1, imageSize: 8, batch: 4, epochs: 3 });
  const widths = { softmax: 30, gradTrain: 3, gradValid: 3, votes: 90, cosTrain: 9, cosValid: 9 };
  const info: RaceInfo = {
    runs: [{ method: 'darts', label: 'DARTS', config: { ...cfg, method: 'darts' } }, { method: 'lambda', label: 'Λ-DARTS', config: { ...cfg, method: 'lambda' } }],
    dataset: 'MNIST', synthetic: false, datasetNote: '', split: { train: 16, valid: 16, test: 0 }, stepsPerEpoch: 4, totalSteps: 12,
    alphas: alphasOf(cfg), cells: cellsOf(cfg), widths,
  };
  /** Genotypes g0…g7; the fake table knows g0–g5 (accuracy 93 + 0.2·k %, a narrow range); Λ = k / 10. */
  const store = new ChartStore();
  store.enterReplay(info, [0, 1].map(() => {
    const h = new History(widths);
    for (let s = 0; s < 8; s++) h.appendMetrics(fakeMetrics(s, { trainCorr: s / 10, softmax: [new Float32Array(30)], votes: new Float32Array(90), cosTrain: new Float32Array(9), cosValid: new Float32Array(9) }));
    return h;
  }));
  const table = {
    lookup: (g: string) => {
      const k = Number(g.slice(1));
      return k <= 5 ? ({ index: k, arch: g, unique: g, cifar10: 93 + 0.2 * k, cifar100: 30, imagenet16: 20, exact: true } as Nb201Entry) : null;
    },
  } as unknown as Nb201Table;

  it('draws the NB201 accuracy on the left axis and Λ (train) dashed on the right axis, with a legend', () => {
    const spec = nb201Spec(store, 1, table, 'cifar10')!;
    const W = 480;
    const p = new SvgPainter(W, spec.height(W));
    spec.draw(p);
    const svg = p.toString();
    const t = texts(svg).map((e) => e.text);
    expect(t).toEqual(expect.arrayContaining(['NB201 CIFAR-10 test accuracy (left)', 'alignment Λ, train (right)', 'test accuracy', 'Λ', 'epoch']));
    const pcts = t.filter((s) => s.endsWith('%'));
    expect(pcts.length).toBeGreaterThanOrEqual(3);
    expect(new Set(pcts).size).toBe(pcts.length); // no two ticks with the same label
    const color = /stroke="([^"]+)" stroke-width="1.6"/.exec(svg)![1];
    const acc = polyline(svg, color, false)!;
    const lam = polyline(svg, color, true, 1.3)!;
    expect(acc).toHaveLength(6); // g6, g7 are not in the table: the line stops there
    expect(lam).toHaveLength(8); // Λ at every step
    // Λ rises linearly 0 → 0.7: equal steps on the right axis
    const dy = lam.slice(1).map((pt, i) => pt[1] - lam[i][1]);
    for (const v of dy) expect(v).toBeCloseTo(dy[0], 1);
    expect(dy[0]).toBeLessThan(0);
    // same x positions for both series (one time axis)
    expect(lam.slice(0, 6).map((pt) => pt[0])).toEqual(acc.map((pt) => pt[0]));
    // right tick labels for Λ past the right margin
    const { right } = lineMargins({ y2: { label: 'Λ' } });
    const rightTicks = texts(svg).filter((e) => attr(e.attrs, 'x') === W - right + 6).map((e) => Number(e.text));
    expect(rightTicks[0]).toBe(0);
    expect(rightTicks[rightTicks.length - 1]).toBeGreaterThanOrEqual(0.7);
  });

  it('is absent without a table', () => {
    expect(nb201Spec(store, 0, null, 'cifar10')).toBeNull();
  });
});
