/**
 * Node helpers to run code in headless Chromium on WebGPU (SwiftShader) and WebGL: a static
 * server for the built app (dist/), the shared fixtures (/__shared/… read from ../shared, never
 * copied) and the test pages (/__pages/…, built here with Vite), plus launch and page utilities.
 * Used by test/browser/run.ts and by the benchmark CLI.
 *
 *   const server = await startServer();
 *   const browser = await launchChromium();
 *   const page = await openPage(browser, server.url(HARNESS));
 *   await page.evaluate(() => window.__setBackend('webgpu'));
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(REPO, 'dist');
export const SHARED = path.resolve(REPO, '..', 'shared');
/** Built test pages (git-ignored with node_modules). */
export const PAGES_OUT = path.join(REPO, 'node_modules/.cache/browser-pages');
const PAGES_SRC = path.join(REPO, 'test/browser/pages');

/** Page paths on the server. */
export const HARNESS = '/__pages/harness.html';
export const FIXTURE_PAGE = '/__pages/fixture.html';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** DESIGN.md: --enable-unsafe-webgpu is needed and enough for WebGPU on SwiftShader. */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu', '--no-sandbox', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** Headless Chromium with WebGPU (SwiftShader); `webgpu: false` leaves out --enable-unsafe-webgpu. */
export function launchChromium(extraArgs: string[] = [], opts: { webgpu?: boolean } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const base = opts.webgpu === false ? CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') : CHROMIUM_ARGS;
  // CHROMIUM_EXTRA_ARGS: e.g. a real GPU's flags ("--use-vulkan --use-angle=vulkan --ignore-gpu-blocklist") for `npm run bench`
  const env = (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(/\s+/).filter(Boolean);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...base, ...env, ...extraArgs] });
}

/** Builds test/browser/pages/*.html (and what they import from src/) into PAGES_OUT. */
export async function buildTestPages(): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: PAGES_SRC,
    base: '/__pages/',
    publicDir: false,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      outDir: PAGES_OUT,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8000,
      rolldownOptions: { input: { harness: path.join(PAGES_SRC, 'harness.html'), fixture: path.join(PAGES_SRC, 'fixture.html') } },
    },
  });
}

export interface StaticServer {
  origin: string;
  /** Absolute URL of a server path. */
  url(p: string): string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.txt': 'text/plain; charset=utf-8',
};

/** A file under `root`, or null when the path escapes it or is not a file. */
function within(root: string, rel: string): string | null {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return within(root, path.posix.join(rel, 'index.html'));
    return st.isFile() ? file : null;
  } catch {
    return null;
  }
}

export interface ServerOptions {
  /** Build the test pages first (default true; ~3 s). */
  buildPages?: boolean;
  /** Default 0: any free port. */
  port?: number;
}

/** Serves dist/ at /, ../shared at /__shared/, the test pages at /__pages/ on 127.0.0.1. */
export async function startServer(opts: ServerOptions = {}): Promise<StaticServer> {
  if (opts.buildPages ?? true) await buildTestPages();
  const routes: [string, string][] = [['/__shared/', SHARED], ['/__pages/', PAGES_OUT], ['/', DIST]];
  const server: Server = createServer((req, res) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const [prefix, root] = routes.find(([p]) => pathname.startsWith(p))!;
    const file = within(root, pathname.slice(prefix.length));
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': 'no-store',
      // cross-origin isolated as the app's own servers (vite.config.ts): the CPU kernels' threads
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (p) => new URL(p, origin).href,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface OpenedPage extends Page {
  /** Console errors and uncaught page errors so far. */
  errors: string[];
}

export interface OpenOptions {
  /** Echo the page's console to stderr. */
  echoConsole?: boolean;
  /** Wait for `window.__ready === true` after load (test pages set it; default true for /__pages/). */
  waitReady?: boolean;
  viewport?: { width: number; height: number };
}

/** A fresh context and page at `url`, collecting console errors and page errors. */
export async function openPage(browser: Browser, url: string, opts: OpenOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1100, height: 900 } });
  const page = (await context.newPage()) as OpenedPage;
  page.errors = [];
  page.on('console', (m: ConsoleMessage) => {
    if (opts.echoConsole) process.stderr.write(`[page ${m.type()}] ${m.text()}\n`);
    if (m.type() === 'error') page.errors.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('close', () => void context.close().catch(() => undefined));
  await page.goto(url);
  if (opts.waitReady ?? new URL(url).pathname.startsWith('/__pages/')) {
    await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true, undefined, { timeout: 60_000 });
  }
  return page;
}

/** Server + browser for the duration of `fn`, always cleaned up. */
export async function withBrowser<T>(fn: (ctx: { browser: Browser; server: StaticServer }) => Promise<T>, opts: ServerOptions = {}): Promise<T> {
  const server = await startServer(opts);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    return await fn({ browser, server });
  } finally {
    await browser?.close().catch(() => undefined);
    await server.close();
  }
}
