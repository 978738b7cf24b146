/**
 * NAS-Bench-201 ground truth in the playground (figure 1): the table from `nb201=<url>`, the current
 * cell's accuracy next to its genotype (checked against the CSV parsed here in Node), the per-run
 * accuracy chart, and a malformed table upload that shows its TableError while the race goes on.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNb201Table } from '../../src/eval/nb201-table';
import { SHARED } from './chromium';
import { check, RESULTS, type Test } from './testing';

const CSV = path.join(SHARED, 'data', 'nb201', 'nb201_200ep_test_acc.csv');
// explicit backend order: WebGPU on SwiftShader, slow enough to watch the race move
// 50 epochs (200 steps): the race must still be running when the malformed table goes in (the tiny
// preset's 16 steps end within seconds on WebGPU now)
const URL_ = '/?preset=tiny&limit=16&epochs=50&backend=webgpu,webgl,cpu&nb201=/__shared/data/nb201/nb201_200ep_test_acc.csv';

export const nb201Tests: Test[] = [
  {
    name: 'app: NB201 ground truth — current cell accuracy from the table, malformed table upload',
    timeoutMs: 90_000,
    async run({ open }) {
      const table = parseNb201Table(readFileSync(CSV, 'utf8'), CSV);
      const page = await open(URL_, undefined, { viewport: { width: 1280, height: 800 } });
      await page.getByTestId('nb201-status').waitFor({ timeout: 30_000 });
      check(!(await page.getByTestId('warnings').count()), `URL warnings: ${await page.getByTestId('warnings').first().textContent().catch(() => '')}`);
      // a few steps, then the genotype text and its accuracy text from one render
      const h = await page.waitForFunction(() => {
        const err = document.querySelector('[data-testid=error]');
        if (err) return { error: err.textContent };
        if (Number(document.querySelector('[data-testid=step]')?.textContent) < 3) return false;
        const g = document.querySelector('[data-testid=genotype-0]')?.textContent ?? '';
        const a = document.querySelector('[data-testid=nb201-acc-0]');
        return g.startsWith('|') && a ? { genotype: g, acc: a.textContent ?? '', exact: a.getAttribute('data-exact') } : false;
      }, undefined, { timeout: 60_000, polling: 100 });
      const r = (await h.jsonValue()) as { error?: string; genotype: string; acc: string; exact: string | null };
      check(!r.error, `page error: ${r.error}`);
      const e = table.lookup(r.genotype);
      check(e, `the table has no row for ${r.genotype}`);
      const m = /CIFAR-10 test (\d+\.\d+)% \(NB201/.exec(r.acc);
      check(m, `accuracy text “${r.acc}” has no CIFAR-10 percentage`);
      check(m[1] === e.cifar10.toFixed(2), `page shows ${m[1]}% for ${r.genotype}, the table says ${e.cifar10.toFixed(2)}%`);
      check(r.exact === String(e.exact), `data-exact ${r.exact}, lookup exact ${e.exact}`);
      check(await page.getByTestId('chart-nb201-0').locator('canvas').count() === 1 && await page.getByTestId('chart-nb201-1').locator('canvas').count() === 1, 'no NB201 accuracy chart per run');
      // figure 1: accuracy (left axis) and Λ (right axis) in one panel, also in its SVG export
      const fig = page.getByTestId('chart-nb201-0');
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), fig.getByRole('button', { name: /as SVG$/ }).click()]);
      const svg = readFileSync(await dl.path(), 'utf8');
      for (const t of ['NB201 CIFAR-10 test accuracy (left)', 'alignment Λ, train (right)', '>test accuracy<', '>Λ<']) check(svg.includes(t), `figure-1 SVG export lacks “${t}”`);
      check(/rotate\(-90 /.test(svg), 'figure-1 SVG export has no vertical title on the accuracy axis');
      check((svg.match(/stroke-dasharray="5 4"/g) ?? []).length >= 2, 'figure-1 SVG export has no dashed Λ line (legend + data)');

      // a malformed table (no UniqueString column): its message in the page, the race goes on
      const bad = 'CIFAR10TestAccuracy200Epochs,CIFAR100TestAccuracy200Epochs,ImageNetTestAccuracy200Epochs,ArchitectureString\n93.1,70.2,44.0,|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|\n';
      const s0 = Number(await page.getByTestId('step').first().textContent());
      await page.getByTestId('nb201-upload').setInputFiles({ name: 'bad-nb201.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      const err = page.getByTestId('nb201-error');
      await err.waitFor({ timeout: 10_000 });
      const msg = (await err.textContent()) ?? '';
      check(/missing column UniqueString/.test(msg), `malformed-table message does not name the problem: ${msg}`);
      await page.waitForFunction((k) => Number(document.querySelector('[data-testid=step]')?.textContent) > k, s0, { timeout: 30_000 });
      check(!(await page.getByTestId('error').count()), 'the app shows an error after a malformed table');
      check(new URL(page.url()).searchParams.get('nb201') === '/__shared/data/nb201/nb201_200ep_test_acc.csv', `the URL lost nb201=: ${page.url()}`);
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS, 'nb201.png'), fullPage: true });
      return [`${r.genotype}: ${r.acc}`, `malformed table: “${msg.slice(0, 160)}”`];
    },
  },
];
