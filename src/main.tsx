import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { RunClient } from './ui/runClient';
import { startOptionsFromUrl } from './ui/demo';
import './ui/styles.css';

const { options, warnings } = startOptionsFromUrl(window.location.search);
const client = new RunClient(() => new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'search' }), options);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} warnings={warnings} />
  </StrictMode>,
);
