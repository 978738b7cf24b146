import { useEffect, useRef } from 'react';
import { cellGraphOf } from '../charts';
import { downloadBlob, downloadText, svgToPng } from '../download';
import { drawCellGraph, graphHeight } from '../draw/cellGraph';
import { SvgPainter } from '../draw/painter';
import { onFrame } from '../frames';
import type { ChartStore } from '../store';

interface Props {
  store: ChartStore;
  run: number;
  /** α index: 0 normal (or NB201's only cell), 1 reduce. */
  alpha: number;
  title: string;
  file: string;
  exportable: boolean;
}

/** The derived cell as live SVG, redrawn only when the genotype or its weights (2 decimals) change. */
export function CellGraphView({ store, run, alpha, title, file, exportable }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const render = (): { svg: string; w: number; h: number } | null => {
    const g = cellGraphOf(store, run, alpha);
    const w = box.current?.clientWidth ?? 0;
    if (!g || w <= 0) return null;
    const h = graphHeight(g, w);
    const p = new SvgPainter(w, h, title);
    drawCellGraph(p, g);
    return { svg: p.toString(), w, h };
  };
  useEffect(() => {
    let drawn = '';
    let seen = '';
    let width = 0;
    const ro = new ResizeObserver((e) => (width = Math.floor(e[0].contentRect.width)));
    if (box.current) ro.observe(box.current);
    const stop = onFrame(() => {
      const el = box.current;
      if (!el || width <= 0 || seen === `${store.version}|${width}`) return;
      seen = `${store.version}|${width}`;
      const g = cellGraphOf(store, run, alpha);
      const key = g ? `${width}|${g.edges.map((e) => `${e.op}${e.weight.toFixed(2)}`).join()}` : 'none';
      if (key === drawn) return;
      drawn = key;
      const r = render();
      el.innerHTML = r ? r.svg : '';
      const svg = el.querySelector('svg');
      if (svg) {
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', `${title}: ${g?.edges.map((e) => e.op).join(', ')}`);
      }
    });
    return () => {
      stop();
      ro.disconnect();
    };
  }, [store, run, alpha, title]);
  return (
    <figure className="card chart graph">
      <figcaption>
        <h3>{title}</h3>
        {exportable && (
          <span className="export-buttons">
            <button type="button" className="tiny" aria-label={`Save ${title} as PNG`} onClick={() => { const r = render(); if (r) void svgToPng(r.svg, r.w, r.h).then((b) => downloadBlob(b, `${file}.png`)); }}>PNG</button>
            <button type="button" className="tiny" aria-label={`Save ${title} as SVG`} onClick={() => { const r = render(); if (r) downloadText(r.svg, `${file}.svg`, 'image/svg+xml'); }}>SVG</button>
          </span>
        )}
      </figcaption>
      <div ref={box} className="svg-box" />
    </figure>
  );
}
