/**
 * The evaluation panel in headless Chromium (WebGPU on SwiftShader), on the tiny race: retrain the
 * race's two derived cells from scratch side by side (progress bars advance, a test accuracy per
 * cell), then a 2-seed multi-seed run (a 2-row table, NB201 accuracies from the page's table, the
 * mean ± std row), then a cancel. Screenshot:
 * test-results/eval.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { meanStd } from '../../src/eval/seed-table';
import { parseNb201Table } from '../../src/eval/nb201-table';
import { SHARED, type OpenedPage } from './chromium';
import { check, RESULTS, type Test } from './testing';

const NB201_ARCH = /^\|[a-z0-9_]+~0\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|[a-z0-9_]+~2\|$/;
/** C=2, 8×8, batch 4, 16 images per half (the retraining then gets 32 training images); the NB201 table loaded. */
// explicit backend order: WebGPU on SwiftShader (the default order would pick the much faster CPU backend, too fast to watch progress)
const TINY = '/?preset=tiny&limit=16&backend=webgpu,webgl,cpu&nb201=/__shared/data/nb201/nb201_200ep_test_acc.csv';
const CSV = path.join(SHARED, 'data', 'nb201', 'nb201_200ep_test_acc.csv');

const text = (page: OpenedPage, id: string) => page.getByTestId(id).first().textContent({ timeout: 5_000 }).then((t) => (t ?? '').trim());

async function fill(page: OpenedPage, id: string, value: string): Promise<void> {
  const el = page.getByTestId(id);
  await el.fill(value);
  check((await el.inputValue()) === value, `field ${id} did not take ${value}`);
}

/** Polls `<progress>` values until every bar is full; returns the distinct values seen per bar. */
async function watchBars(page: OpenedPage, ids: string[], timeout: number): Promise<number[][]> {
  const seen = ids.map(() => new Set<number>());
  const t0 = Date.now();
  for (;;) {
    const v = await page.evaluate((list) => list.map((id) => {
      const p = document.querySelector(`[data-testid="${id}"]`) as HTMLProgressElement | null;
      return p ? [p.value, p.max] : [NaN, NaN];
    }), ids);
    const err = await page.getByTestId('retrain-error').count();
    check(!err, `retraining failed: ${await text(page, 'retrain-error').catch(() => '')}`);
    v.forEach(([x], i) => Number.isFinite(x) && seen[i].add(x));
    if (v.every(([x, m]) => x === m && m > 1)) return seen.map((s) => [...s].sort((a, b) => a - b));
    check(Date.now() - t0 < timeout, `progress bars stuck at ${v.map(([x, m]) => `${x}/${m}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}

export const evalTests: Test[] = [
  {
    name: 'app: evaluation panel — retrain both derived cells side by side, 2-seed multi-seed table',
    timeoutMs: 240_000,
    async run({ open }) {
      const nbTable = parseNb201Table(readFileSync(CSV, 'utf8'), CSV);
      const page = await open(TINY, undefined, { viewport: { width: 1280, height: 900 } });
      await page.getByTestId('backend-reason').waitFor({ timeout: 60_000 });
      await page.getByTestId('nb201-status').waitFor({ timeout: 30_000 });
      // one step of the race gives both runs a derived cell; then pause it so the evaluation has the CPU
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=steps-1]')?.textContent) >= 1, undefined, { timeout: 90_000 });
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.waitForFunction(() => document.querySelector('[data-testid=state]')?.textContent === 'paused', undefined, { timeout: 60_000 });
      const panel = page.getByTestId('eval-panel');
      await panel.waitFor();
      const g0 = await text(page, 'genotype-0'), g1 = await text(page, 'genotype-1');
      check(NB201_ARCH.test(g0) && NB201_ARCH.test(g1), `race genotypes are not NB201 arch strings: ${g0}, ${g1}`);

      // retraining: 2 epochs, C=4, batch 4 → 16 steps per cell on 32 images at 8×8, 200 test images
      // (enough steps that the bars are seen part-way: a step takes tens of ms on WebGPU now)
      await fill(page, 'retrain-epochs', '2');
      await fill(page, 'retrain-C', '4');
      await fill(page, 'retrain-batch', '4');
      await fill(page, 'retrain-testLimit', '200');
      check((await page.getByTestId('retrain-limit').inputValue()) === '32', 'the training-image default is not both halves of the race (32)');
      const start = page.getByRole('button', { name: /^Start retraining \(DARTS vs Λ-DARTS\)$/ });
      await start.focus();
      await page.keyboard.press('Enter'); // keyboard operable
      const t0 = Date.now();
      await page.getByRole('button', { name: 'Cancel retraining' }).waitFor({ timeout: 10_000 });
      const bars = await watchBars(page, ['retrain-progress-0', 'retrain-progress-1'], 150_000);
      for (const [i, b] of bars.entries()) {
        check(b[b.length - 1] === 16, `bar ${i} ended at ${b[b.length - 1]}, expected 16 steps`);
        check(b.some((x) => x > 0 && x < 16), `bar ${i} never showed a step between 0 and 16 (saw ${b.join(', ')})`);
      }
      check(await page.getByRole('progressbar', { name: 'Retraining DARTS cell' }).count() === 1, 'no progress bar named “Retraining DARTS cell”');
      const table = page.getByTestId('retrain-results');
      await table.waitFor({ timeout: 60_000 });
      const retrainS = (Date.now() - t0) / 1000;
      check((await text(page, 'retrain-status')) === 'done', `retraining status ${await text(page, 'retrain-status')}`);
      const accs = [await text(page, 'retrain-acc-0'), await text(page, 'retrain-acc-1')];
      for (const a of accs) {
        const m = /^(\d+\.\d\d)%$/.exec(a);
        check(m && Number(m[1]) >= 0 && Number(m[1]) <= 100, `test accuracy “${a}” is not a percentage`);
        // 200 test images: every accuracy is a multiple of 0.5 %
        check(Math.abs(Number(m[1]) * 2 - Math.round(Number(m[1]) * 2)) < 1e-6, `test accuracy ${a} is not k/200`);
      }
      if (g0 === g1) check(accs[0] === accs[1], `the same cell on the same batches gave ${accs[0]} and ${accs[1]}`);
      const params = [await text(page, 'retrain-params-0'), await text(page, 'retrain-params-1')].map((p) => Number(p.replace(/[^\d]/g, '')));
      check(params.every((p) => p > 0), `parameter counts ${params.join(', ')}`);
      const cellTexts = await table.locator('code').allTextContents();
      check(cellTexts[0] === g0 && cellTexts[1] === g1, `the table trained ${cellTexts.join(' / ')}, not the race's cells ${g0} / ${g1}`);
      const nbRow = (await table.locator('tr', { hasText: 'NAS-Bench-201' }).locator('td').allTextContents());
      const want = [g0, g1].map((g) => nbTable.lookup(g)!.cifar10.toFixed(2));
      check(nbRow.length === 2 && nbRow.every((t, i) => t.includes(`CIFAR-10 test ${want[i]}%`)), `NB201 row “${nbRow.join(' | ')}”, expected ${want.join(', ')}`);
      const line = await text(page, 'retrain-line-0');
      check(/step 16\/16 · epoch 2\/2 · loss \d+\.\d{3} · test \d+\.\d%/.test(line), `progress line “${line}”`);
      // both workers choose with the same rule (default order: on SwiftShader the CPU backend)
      const backend = await text(page, 'eval-backend');
      const raceBackend = await text(page, 'backend');
      check(backend === raceBackend, `evaluation backend ${backend}, the race's ${raceBackend}`);

      // multi-seed: DARTS, 2 seeds, 2 steps each
      await page.getByTestId('seeds-method').selectOption('darts');
      await fill(page, 'seeds-k', '2');
      await fill(page, 'seeds-max-steps', '2');
      const t1 = Date.now();
      await page.getByRole('button', { name: 'Start 2 seeds' }).click();
      await page.waitForFunction(() => {
        const s = document.querySelector('[data-testid=seeds-status]')?.textContent;
        return s === 'done' || s === 'failed' ? s : false;
      }, undefined, { timeout: 150_000, polling: 100 });
      const seedsS = (Date.now() - t1) / 1000;
      check((await text(page, 'seeds-status')) === 'done', `multi-seed ${await text(page, 'seeds-status')}: ${await text(page, 'seeds-error').catch(() => '')}`);
      const rows = await page.getByTestId('seed-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
      check(rows.length === 2, `${rows.length} rows in the multi-seed table, expected 2`);
      check(rows[0][0] === '0' && rows[1][0] === '1', `seeds ${rows.map((r) => r[0]).join(', ')}, expected 0, 1`);
      const c10: number[] = [];
      for (const r of rows) {
        const [, archCell, acc10, acc100, acc16, skips, lam] = r;
        const arch = archCell.replace(/ \(isomorphic cell\)$/, '');
        check(NB201_ARCH.test(arch), `row genotype “${arch}”`);
        // NB201 accuracies: the worker sends arch strings, the page looks them up in its own table
        const e = nbTable.lookup(arch);
        check(e, `the table has no row for ${arch}`);
        check(acc10 === e.cifar10.toFixed(2) && acc100 === e.cifar100.toFixed(2) && acc16 === e.imagenet16.toFixed(2), `row ${arch} shows ${acc10}/${acc100}/${acc16}, the table says ${e.cifar10}/${e.cifar100}/${e.imagenet16}`);
        c10.push(e.cifar10);
        check(Number(skips) === arch.split('skip_connect').length - 1, `skips ${skips} for ${arch}`);
        check(/^-?\d\.\d{3}$/.test(lam) && Math.abs(Number(lam)) <= 1, `final Λ “${lam}”`);
      }
      const summary = (await page.getByTestId('seed-summary').textContent()) ?? '';
      const ms = meanStd(c10);
      check(summary.startsWith('mean ± std2 seeds') && summary.includes(`${ms.mean.toFixed(2)} ± ${ms.std.toFixed(2)}`), `summary row “${summary}” lacks CIFAR-10 ${ms.mean.toFixed(2)} ± ${ms.std.toFixed(2)}`);
      check(await page.getByRole('progressbar', { name: 'Multi-seed progress' }).evaluate((p) => (p as HTMLProgressElement).value) === 1, 'multi-seed bar not full');

      // cancel: a long retraining stops at a step boundary and shows what it has
      await fill(page, 'retrain-epochs', '50');
      await page.getByRole('button', { name: /^Start retraining/ }).click();
      await page.waitForFunction(() => Number((document.querySelector('[data-testid=retrain-progress-1]') as HTMLProgressElement | null)?.value) >= 1, undefined, { timeout: 60_000, polling: 50 });
      await page.getByRole('button', { name: 'Cancel retraining' }).click();
      const tc = Date.now();
      await page.waitForFunction(() => document.querySelector('[data-testid=retrain-status]')?.textContent === 'cancelled', undefined, { timeout: 30_000 });
      const cancelS = (Date.now() - tc) / 1000;
      check(cancelS < 10, `the cancel took ${cancelS.toFixed(1)} s (the worker is terminated after 15 s)`);
      const caption = (await table.locator('caption').textContent()) ?? '';
      const stopped = /^Stopped early at step (\d+) of 400: no epoch finished/.exec(caption);
      check(stopped && Number(stopped[1]) >= 1 && Number(stopped[1]) < 8, `after cancel the table says “${caption}”`);
      check((await text(page, 'retrain-acc-0')) === '—', 'a test accuracy after a cancel in the first epoch');
      check(await page.getByRole('button', { name: /^Start retraining/ }).isEnabled(), 'Start is not back after cancel');

      mkdirSync(RESULTS, { recursive: true });
      await page.addStyleTag({ content: '.sticky { position: static !important; }' }); // the toolbar would cover the panel
      await panel.screenshot({ path: path.join(RESULTS, 'eval.png') });
      return [
        `retrained ${g0} → ${accs[0]}, ${g1} → ${accs[1]} (params ${params.join(' / ')}), ${retrainS.toFixed(1)} s in the page`,
        `multi-seed DARTS ×2 (2 steps each): ${rows.map((r) => `${r[0]}: ${r[1]} NB201 ${r[2]}% skips ${r[5]} Λ ${r[6]}`).join('; ')}, ${seedsS.toFixed(1)} s`,
        `cancelled a 50-epoch retraining in ${cancelS.toFixed(1)} s: ${caption}`,
      ];
    },
  },
];
