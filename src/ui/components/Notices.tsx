import type { ClientState } from '../runClient';

interface Props {
  s: ClientState;
  warnings: string[];
  recover(): void;
}

/** Backend advice, URL warnings, errors and a lost GPU device, each with what to do. */
export function Notices({ s, warnings, recover }: Props) {
  const b = s.backend;
  return (
    <>
      {b && b.name === 'webgl' && (
        <p className="notice warn" data-testid="backend-advice">
          WebGPU is not available in this browser, so the search runs on WebGL (slower). For WebGPU use a recent Chrome or Edge, or Firefox/Safari with WebGPU enabled.
        </p>
      )}
      {b && b.name === 'cpu' && /software rendering/.test(b.reason) && (
        <p className="notice warn" data-testid="backend-advice">
          No hardware GPU is available to this browser: WebGPU and WebGL would run on a software rasterizer, so the search runs on the CPU backend with
          this project's WebAssembly kernels, which is faster here. Expect the tiny and small presets to move; the full race needs a GPU (enable hardware
          acceleration, or force a backend with <code>backend=webgpu</code> in the URL).
        </p>
      )}
      {b && b.name === 'cpu' && !/software rendering/.test(b.reason) && (
        <p className="notice bad" data-testid="backend-advice">
          No GPU backend could start ({b.reason}). The search runs on the CPU and will be very slow. Enable hardware acceleration in the browser settings,
          use a browser with WebGPU (recent Chrome or Edge), or pick the “Quick look (tiny supernet)” preset.
        </p>
      )}
      {!b && s.error && /no tfjs backend/.test(s.error) && (
        <p className="notice bad">Nothing can train here: neither WebGPU, WebGL nor the CPU backend started. Try another browser or enable hardware acceleration.</p>
      )}
      {warnings.length > 0 && <p className="notice warn" data-testid="warnings">{warnings.join('; ')}</p>}
      {s.error && <p className="notice bad" role="alert" data-testid="error">{s.error}</p>}
      {s.lost && (
        <div className="notice bad" role="alert" data-testid="lost">
          <p>The GPU device was lost ({s.lost}). The charts keep the last snapshot; the runs can continue from their last checkpoint.</p>
          <button type="button" onClick={recover}>Resume from last checkpoint</button>
        </div>
      )}
      {s.race?.datasetNote && <p className="notice warn" data-testid="dataset-note">{s.race.datasetNote}</p>}
    </>
  );
}
