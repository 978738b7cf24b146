/**
 * Runs `runBench` cases in headless Chromium (WebGPU on SwiftShader, WebGL) through the
 * browser-test harness page (test/browser/pages/harness.ts). Needs `vite build` output and
 * /usr/bin/chromium; builds the harness pages itself.
 */
import type { BenchOptions, BenchResult } from '../core/bench';
import { HARNESS, openPage, withBrowser } from '../../test/browser/chromium';

export type BrowserRun = (backend: string, o: BenchOptions) => Promise<BenchResult | null>;

/** `stock`: tfjs's stock kernels instead of this project's on each backend. */
export async function withHarness<T>(stock: boolean, fn: (run: BrowserRun) => Promise<T>): Promise<T> {
  return withBrowser(async ({ browser, server }) => {
    const pages = new Map<string, Awaited<ReturnType<typeof openPage>>>();
    const run: BrowserRun = async (backend, o) => {
      let page = pages.get(backend);
      if (!page) {
        page = await openPage(browser, server.url(HARNESS));
        const got = await page.evaluate((b) => window.__setBackend(b), backend);
        if (got !== backend) return null;
        if (stock) await page.evaluate(() => window.__stockKernels(true));
        pages.set(backend, page);
      }
      return page.evaluate((opts) => window.__bench(opts), o);
    };
    return fn(run);
  });
}
