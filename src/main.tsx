import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { RunClient } from './ui/runClient';
import { startOptions } from './ui/usePage';
import { parsePageUrl } from './ui/url';
import './ui/styles.css';

const { state, warnings } = parsePageUrl(window.location.search, window.location.hash);
const client = new RunClient(() => new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'search' }), startOptions(state));

// for tests and the console: window.__playground.loseDevice() simulates a lost GPU device
(window as unknown as { __playground: RunClient }).__playground = client;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} initial={state} warnings={warnings} />
  </StrictMode>,
);
