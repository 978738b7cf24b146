import { useEffect, useRef, type ReactNode } from 'react';
import { canvasToPng, downloadBlob, downloadText } from '../download';
import { CanvasPainter, SvgPainter, type Painter } from '../draw/painter';
import { onFrame } from '../frames';
import type { ChartStore } from '../store';

/** What a chart draws now: its height for a width and a draw on any Painter; null = nothing yet. */
export interface ChartSpec {
  height(width: number): number;
  draw(p: Painter): void;
}

interface Props {
  store: ChartStore;
  title: string;
  /** File name stem for exports. */
  file: string;
  /** Built from the store each time it changed (keep it cheap; the draw does the work). */
  spec: () => ChartSpec | null;
  /** Redraw when this changes too (props the spec depends on). */
  deps?: string;
  caption?: ReactNode;
  exportable?: boolean;
  testid?: string;
  className?: string;
}

/**
 * A canvas chart card: redrawn once per animation frame when the store changed or the card was
 * resized, with PNG (the canvas) and SVG (the same draw on an SvgPainter) exports.
 */
export function ChartCard({ store, title, file, spec, deps = '', caption, exportable = true, testid, className }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const specRef = useRef(spec);
  specRef.current = spec;

  useEffect(() => {
    let width = box.current?.clientWidth ?? 0;
    let drawn = '';
    const ro = new ResizeObserver((entries) => (width = Math.floor(entries[0].contentRect.width)));
    if (box.current) ro.observe(box.current);
    const stop = onFrame(() => {
      const c = canvas.current;
      const key = `${store.version}|${width}|${deps}`;
      if (!c || width <= 0 || key === drawn) return;
      drawn = key;
      const s = specRef.current();
      if (!s) {
        new CanvasPainter(c, width, 40);
        return;
      }
      s.draw(new CanvasPainter(c, width, Math.ceil(s.height(width))));
    });
    return () => {
      stop();
      ro.disconnect();
    };
  }, [store, deps]);

  const svg = (): string | null => {
    const s = specRef.current();
    const w = box.current?.clientWidth ?? 480;
    if (!s) return null;
    const p = new SvgPainter(w, Math.ceil(s.height(w)), title);
    s.draw(p);
    return p.toString();
  };

  return (
    <figure className={`card chart ${className ?? ''}`} data-testid={testid}>
      <figcaption>
        <h3>{title}</h3>
        {exportable && (
          <span className="export-buttons">
            <button type="button" className="tiny" aria-label={`Save ${title} as PNG`} onClick={() => canvas.current && void canvasToPng(canvas.current).then((b) => downloadBlob(b, `${file}.png`))}>PNG</button>
            <button type="button" className="tiny" aria-label={`Save ${title} as SVG`} onClick={() => { const t = svg(); if (t) downloadText(t, `${file}.svg`, 'image/svg+xml'); }}>SVG</button>
          </span>
        )}
      </figcaption>
      <div ref={box} className="canvas-box">
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
      {caption && <p className="caption">{caption}</p>}
    </figure>
  );
}
