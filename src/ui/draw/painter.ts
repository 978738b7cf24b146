/**
 * The few drawing primitives every chart uses, with two back ends: a canvas (live, per frame) and
 * an SVG string (export, tests in Node). Each draw* function takes a Painter and its data, so the
 * PNG and the SVG of a chart come from the same code.
 */

export interface TextStyle {
  size?: number;
  fill?: string;
  align?: 'left' | 'center' | 'right';
  baseline?: 'top' | 'middle' | 'bottom' | 'alphabetic';
  weight?: 'normal' | 'bold';
  mono?: boolean;
  /** Degrees, clockwise, around (x, y). */
  rotate?: number;
}

export interface Painter {
  readonly width: number;
  readonly height: number;
  rect(x: number, y: number, w: number, h: number, fill: string | null, stroke?: string, lineWidth?: number): void;
  /** Polyline through [x0, y0, x1, y1, …]; NaN points break the line. */
  line(pts: ArrayLike<number>, stroke: string, width?: number, dash?: number[]): void;
  polygon(pts: ArrayLike<number>, fill: string): void;
  circle(cx: number, cy: number, r: number, fill: string | null, stroke?: string, lineWidth?: number): void;
  /** SVG path data (M, L, Q, C, Z with absolute coordinates). */
  path(d: string, stroke: string | null, width?: number, fill?: string | null, dash?: number[]): void;
  text(s: string, x: number, y: number, style?: TextStyle): void;
  measure(s: string, size?: number, mono?: boolean): number;
}

const SANS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

function fontOf(st: TextStyle): string {
  return `${st.weight === 'bold' ? '600 ' : ''}${st.size ?? 11}px ${st.mono ? MONO : SANS}`;
}

/** Splits [x0,y0,…] into runs without NaN. */
function runs(pts: ArrayLike<number>): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = pts[i], y = pts[i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) cur.push(x, y);
    else if (cur.length) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

export class CanvasPainter implements Painter {
  private readonly ctx: CanvasRenderingContext2D;

  /** Sizes the canvas to width×height CSS pixels at the device pixel ratio and clears it. */
  constructor(canvas: HTMLCanvasElement, readonly width: number, readonly height: number, dpr = globalThis.devicePixelRatio || 1) {
    const w = Math.round(width * dpr), h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    if (canvas.style.width !== `${width}px`) canvas.style.width = `${width}px`;
    if (canvas.style.height !== `${height}px`) canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context');
    this.ctx = ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
  }

  rect(x: number, y: number, w: number, h: number, fill: string | null, stroke?: string, lineWidth = 1): void {
    const c = this.ctx;
    if (fill) {
      c.fillStyle = fill;
      c.fillRect(x, y, w, h);
    }
    if (stroke) {
      c.strokeStyle = stroke;
      c.lineWidth = lineWidth;
      c.strokeRect(x, y, w, h);
    }
  }

  line(pts: ArrayLike<number>, stroke: string, width = 1.5, dash: number[] = []): void {
    const c = this.ctx;
    c.strokeStyle = stroke;
    c.lineWidth = width;
    c.setLineDash(dash);
    for (const r of runs(pts)) {
      if (r.length === 2) {
        this.circle(r[0], r[1], width + 0.5, stroke); // a lone point stays visible
        continue;
      }
      c.beginPath();
      c.moveTo(r[0], r[1]);
      for (let i = 2; i < r.length; i += 2) c.lineTo(r[i], r[i + 1]);
      c.stroke();
    }
    c.setLineDash([]);
  }

  polygon(pts: ArrayLike<number>, fill: string): void {
    const c = this.ctx;
    c.fillStyle = fill;
    c.beginPath();
    c.moveTo(pts[0], pts[1]);
    for (let i = 2; i + 1 < pts.length; i += 2) c.lineTo(pts[i], pts[i + 1]);
    c.closePath();
    c.fill();
  }

  circle(cx: number, cy: number, r: number, fill: string | null, stroke?: string, lineWidth = 1): void {
    const c = this.ctx;
    c.beginPath();
    c.arc(cx, cy, r, 0, 2 * Math.PI);
    if (fill) {
      c.fillStyle = fill;
      c.fill();
    }
    if (stroke) {
      c.strokeStyle = stroke;
      c.lineWidth = lineWidth;
      c.stroke();
    }
  }

  path(d: string, stroke: string | null, width = 1.5, fill: string | null = null, dash: number[] = []): void {
    const c = this.ctx;
    const p = new Path2D(d);
    if (fill) {
      c.fillStyle = fill;
      c.fill(p);
    }
    if (stroke) {
      c.strokeStyle = stroke;
      c.lineWidth = width;
      c.setLineDash(dash);
      c.stroke(p);
      c.setLineDash([]);
    }
  }

  text(s: string, x: number, y: number, st: TextStyle = {}): void {
    const c = this.ctx;
    c.font = fontOf(st);
    c.fillStyle = st.fill ?? '#1d2230';
    c.textAlign = st.align ?? 'left';
    c.textBaseline = st.baseline ?? 'alphabetic';
    if (st.rotate) {
      c.save();
      c.translate(x, y);
      c.rotate((st.rotate * Math.PI) / 180);
      c.fillText(s, 0, 0);
      c.restore();
    } else c.fillText(s, x, y);
  }

  measure(s: string, size = 11, mono = false): number {
    this.ctx.font = fontOf({ size, mono });
    return this.ctx.measureText(s).width;
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (x: number) => (Math.round(x * 100) / 100).toString();
const pts = (a: number[]) => a.map(n).join(' ');

/** Builds an SVG document; `toString()` gives it. Text widths are estimated. */
export class SvgPainter implements Painter {
  private readonly parts: string[] = [];

  constructor(readonly width: number, readonly height: number, private readonly title = '') {}

  rect(x: number, y: number, w: number, h: number, fill: string | null, stroke?: string, lineWidth = 1): void {
    this.parts.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill ?? 'none'}"${stroke ? ` stroke="${stroke}" stroke-width="${n(lineWidth)}"` : ''}/>`);
  }

  line(p: ArrayLike<number>, stroke: string, width = 1.5, dash: number[] = []): void {
    const d = dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : '';
    for (const r of runs(p)) {
      if (r.length === 2) {
        this.circle(r[0], r[1], width + 0.5, stroke);
        continue;
      }
      this.parts.push(`<polyline points="${pts(r)}" fill="none" stroke="${stroke}" stroke-width="${n(width)}" stroke-linejoin="round" stroke-linecap="round"${d}/>`);
    }
  }

  polygon(p: ArrayLike<number>, fill: string): void {
    this.parts.push(`<polygon points="${pts(Array.from(p))}" fill="${fill}"/>`);
  }

  circle(cx: number, cy: number, r: number, fill: string | null, stroke?: string, lineWidth = 1): void {
    this.parts.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill ?? 'none'}"${stroke ? ` stroke="${stroke}" stroke-width="${n(lineWidth)}"` : ''}/>`);
  }

  path(d: string, stroke: string | null, width = 1.5, fill: string | null = null, dash: number[] = []): void {
    const da = dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : '';
    this.parts.push(`<path d="${d}" fill="${fill ?? 'none'}"${stroke ? ` stroke="${stroke}" stroke-width="${n(width)}"` : ''}${da}/>`);
  }

  text(s: string, x: number, y: number, st: TextStyle = {}): void {
    const anchor = { left: 'start', center: 'middle', right: 'end' }[st.align ?? 'left'];
    const base = { top: 'hanging', middle: 'central', bottom: 'text-after-edge', alphabetic: 'alphabetic' }[st.baseline ?? 'alphabetic'];
    const rot = st.rotate ? ` transform="rotate(${st.rotate} ${n(x)} ${n(y)})"` : '';
    this.parts.push(
      `<text x="${n(x)}" y="${n(y)}" font-size="${st.size ?? 11}" font-family="${st.mono ? 'monospace' : 'sans-serif'}"${st.weight === 'bold' ? ' font-weight="600"' : ''} fill="${st.fill ?? '#1d2230'}" text-anchor="${anchor}" dominant-baseline="${base}"${rot}>${esc(s)}</text>`,
    );
  }

  measure(s: string, size = 11, mono = false): number {
    return s.length * size * (mono ? 0.6 : 0.56);
  }

  /** The inner markup (for an <svg> element already in the page). */
  inner(): string {
    return this.parts.join('');
  }

  toString(): string {
    const t = this.title ? `<title>${esc(this.title)}</title>` : '';
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${n(this.width)}" height="${n(this.height)}" viewBox="0 0 ${n(this.width)} ${n(this.height)}">${t}<rect width="100%" height="100%" fill="#fff"/>${this.inner()}</svg>`;
  }
}

/** Truncates `s` with an ellipsis to fit `w` pixels. */
export function fitText(p: Painter, s: string, w: number, size = 11, mono = false): string {
  if (p.measure(s, size, mono) <= w) return s;
  let t = s;
  while (t.length > 1 && p.measure(`${t}…`, size, mono) > w) t = t.slice(0, -1);
  return `${t}…`;
}
