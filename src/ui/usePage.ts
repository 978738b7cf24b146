/**
 * The page state (url.ts PageState) in React: hot changes apply live (and go to the worker), cold
 * changes are staged until confirmed (then the runs restart), and every applied state is written
 * to the URL so that reloading reproduces it.
 */
import { useCallback, useEffect, useState } from 'react';
import { makeConfig, type RunConfig } from '../core/config';
import type { HotParams, StartOptions } from '../worker/protocol';
import type { RunClient } from './runClient';
import { configDiff, pageQuery, type PageState } from './url';

export function startOptions(p: PageState, autoplay = !p.paused): StartOptions {
  return { config: p.config, runs: p.runs, backends: p.backends, cpuThreads: p.threads, autoplay, speed: p.speed };
}

export interface PageApi {
  page: PageState;
  /** Staged cold changes, or null. */
  draft: PageState | null;
  draftError: string | null;
  /** Fields (and 'runs', 'preset') that the draft changes. */
  draftChanges: string[];
  setHot(key: keyof HotParams, value: RunConfig[keyof RunConfig]): string | null;
  stage(patch: Partial<Omit<PageState, 'config'>> & { config?: Partial<RunConfig> }): void;
  /** Replaces the whole draft (a preset). */
  stageState(s: PageState): void;
  applyDraft(): void;
  discardDraft(): void;
  setSpeed(speed: number): void;
  /** A state change that needs no restart (hide list, dataset name from an upload). */
  patch(p: Partial<PageState>): void;
}

export function usePage(initial: PageState, client: RunClient): PageApi {
  const [page, setPage] = useState(initial);
  const [draft, setDraft] = useState<PageState | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);

  useEffect(() => {
    const q = pageQuery(page);
    if (q !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${q}`);
  }, [page]);

  const setHot = useCallback((key: keyof HotParams, value: RunConfig[keyof RunConfig]): string | null => {
    try {
      const config = makeConfig({ ...page.config, [key]: value });
      setPage({ ...page, config });
      setDraft((d) => d && { ...d, config: { ...d.config, [key]: value } });
      client.set({ [key]: value } as HotParams);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }, [page, client]);

  const stage = useCallback((p: Partial<Omit<PageState, 'config'>> & { config?: Partial<RunConfig> }) => {
    setDraft((d) => {
      const base = d ?? page;
      const next = { ...base, ...p, config: { ...base.config, ...p.config } } as PageState;
      if (p.runs) next.config.method = p.runs[0];
      try {
        next.config = makeConfig(next.config);
        setDraftError(null);
      } catch (e) {
        setDraftError((e as Error).message);
      }
      return next;
    });
  }, [page]);

  const applyDraft = useCallback(() => {
    if (!draft) return;
    try {
      const next = { ...draft, config: makeConfig(draft.config), paused: false };
      setPage(next);
      setDraft(null);
      setDraftError(null);
      client.start(startOptions(next, true));
    } catch (e) {
      setDraftError((e as Error).message);
    }
  }, [draft, client]);

  let draftChanges: string[] = [];
  if (draft) {
    const d = configDiff(page.config, draft.config);
    draftChanges = [...d.cold, ...d.hot].map(String);
    if (draft.runs.join() !== page.runs.join()) draftChanges.unshift('runs');
    if (draft.preset !== page.preset) draftChanges.unshift('preset');
  }

  return {
    page, draft, draftError, draftChanges, setHot, stage,
    stageState: (s) => {
      setDraft(s);
      setDraftError(null);
    },
    applyDraft,
    discardDraft: () => {
      setDraft(null);
      setDraftError(null);
    },
    setSpeed: (speed) => {
      setPage((p) => ({ ...p, speed }));
      client.speed(speed);
    },
    patch: (p) => setPage((s) => ({ ...s, ...p, config: { ...s.config, ...p.config } })),
  };
}
