import { useEffect, useRef } from 'react';
import type { RunInfo } from '../worker/protocol';
import { drawHeatmap } from './draw/heatmap';
import type { RunClient } from './runClient';

/** softmax(α) heatmaps, redrawn once per animation frame when a new snapshot has arrived. */
export function SoftmaxHeatmap({ client, info }: { client: RunClient; info: RunInfo }) {
  const refs = useRef<(HTMLCanvasElement | null)[]>([]);
  useEffect(() => {
    let drawn = -1;
    let frame = 0;
    const tick = () => {
      frame = requestAnimationFrame(tick);
      const snap = client.getState().snapshot;
      if (!snap || client.version === drawn) return;
      drawn = client.version;
      info.alphas.forEach((a, i) => {
        const canvas = refs.current[i];
        const values = snap.softmax[i];
        if (!canvas || !values) return;
        const width = canvas.parentElement?.clientWidth ?? 480;
        drawHeatmap(canvas, { values, rowLabels: a.edges, colLabels: a.ops }, Math.min(width, 640));
      });
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [client, info]);
  return (
    <div className="heatmaps">
      {info.alphas.map((a, i) => (
        <figure key={a.name}>
          <canvas ref={(el) => { refs.current[i] = el; }} role="img" aria-label={`softmax of ${a.name}, edges by operations`} />
          {info.alphas.length > 1 && <figcaption>{a.name}</figcaption>}
        </figure>
      ))}
    </div>
  );
}
