/** What the browser tests share: the test shape, its context, and the assertion. */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { REPO, type OpenedPage, type OpenOptions, type StaticServer } from './chromium';

export interface Ctx {
  browser: Browser;
  server: StaticServer;
  /** Pages opened by the test, closed after it (also on timeout); `browser` defaults to the shared one. */
  open(p: string, browser?: Browser, opts?: OpenOptions): Promise<OpenedPage>;
  /** A browser of the test's own, closed after it. */
  launch(opts: { webgpu?: boolean }): Promise<Browser>;
}

export interface Test {
  name: string;
  timeoutMs: number;
  /** Returns detail lines printed under the result. */
  run(ctx: Ctx): Promise<string[] | void>;
}

export class Failure extends Error {}
export function check(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Failure(msg);
}

export const RESULTS = path.join(REPO, 'test-results');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
