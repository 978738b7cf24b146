/**
 * Named parameters and buffers in PyTorch `state_dict` naming and layout, stored as tfjs
 * tensors in tfjs layout. Conversion (DESIGN.md, fixtures README §4):
 *   conv [out,in,kh,kw] ↔ [kh,kw,in,out]; depthwise [C,1,kh,kw] ↔ [kh,kw,C,1];
 *   linear [out,in] ↔ [in,out]; vectors unchanged.
 */
import type { Rng } from './rng';

export type ParamKind = 'conv' | 'depthwise' | 'linear' | 'vector';
export type ParamInit = 'kaiming_uniform' | 'ones' | 'zeros' | 'fan_in_uniform';

export interface ParamSpec {
  name: string;
  kind: ParamKind;
  /** PyTorch shape. */
  torchShape: number[];
  init: ParamInit;
  /** fan_in for the uniform inits (PyTorch default: bound 1/sqrt(fan_in)). */
  fanIn: number;
}

export interface BufferSpec {
  /** BatchNorm prefix, e.g. `stem.1`; buffers are `${name}.running_mean` / `.running_var`. */
  name: string;
  channels: number;
}

export function tfShape(p: Pick<ParamSpec, 'kind' | 'torchShape'>): number[] {
  const s = p.torchShape;
  switch (p.kind) {
    case 'conv':
      return [s[2], s[3], s[1], s[0]];
    case 'depthwise':
      return [s[2], s[3], s[0], 1];
    case 'linear':
      return [s[1], s[0]];
    default:
      return [...s];
  }
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** PyTorch-layout values → tfjs-layout values. */
export function torchToTf(p: Pick<ParamSpec, 'kind' | 'torchShape'>, v: ArrayLike<number>): Float32Array {
  const s = p.torchShape;
  const out = new Float32Array(size(s));
  if (v.length !== out.length) throw new Error(`${(p as ParamSpec).name ?? 'tensor'}: expected ${out.length} values for shape [${s}], got ${v.length}`);
  if (p.kind === 'conv') {
    const [O, I, H, W] = s;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++)
      out[((h * W + w) * I + i) * O + o] = v[((o * I + i) * H + h) * W + w];
  } else if (p.kind === 'depthwise') {
    const [C, , H, W] = s;
    for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++)
      out[(h * W + w) * C + c] = v[(c * H + h) * W + w];
  } else if (p.kind === 'linear') {
    const [O, I] = s;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) out[i * O + o] = v[o * I + i];
  } else {
    for (let i = 0; i < out.length; i++) out[i] = v[i];
  }
  return out;
}

/** tfjs-layout values → PyTorch-layout values. */
export function tfToTorch(p: Pick<ParamSpec, 'kind' | 'torchShape'>, v: ArrayLike<number>): Float32Array {
  const s = p.torchShape;
  const out = new Float32Array(size(s));
  if (p.kind === 'conv') {
    const [O, I, H, W] = s;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++)
      out[((o * I + i) * H + h) * W + w] = v[((h * W + w) * I + i) * O + o];
  } else if (p.kind === 'depthwise') {
    const [C, , H, W] = s;
    for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++)
      out[(c * H + h) * W + w] = v[(h * W + w) * C + c];
  } else if (p.kind === 'linear') {
    const [O, I] = s;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) out[o * I + i] = v[i * O + o];
  } else {
    for (let i = 0; i < out.length; i++) out[i] = v[i];
  }
  return out;
}

/** PyTorch's default initialisation, drawn from the run's RNG (PyTorch layout, then converted). */
export function initParam(p: ParamSpec, rng: Rng): Float32Array {
  const n = size(p.torchShape);
  const v = new Float32Array(n);
  if (p.init === 'ones') v.fill(1);
  else if (p.init === 'zeros') v.fill(0);
  else {
    // kaiming_uniform_(a=√5) and the Linear bias both give U(−1/√fan_in, 1/√fan_in).
    const b = 1 / Math.sqrt(p.fanIn);
    rng.fillUniform(v, -b, b);
  }
  return torchToTf(p, v);
}

/** Collects parameters and BN buffers in module-registration order (= PyTorch optimizer order). */
export class ParamRegistry {
  readonly params: ParamSpec[] = [];
  readonly buffers: BufferSpec[] = [];
  private names = new Set<string>();

  conv(name: string, cout: number, cin: number, k: number): string {
    return this.add({ name, kind: 'conv', torchShape: [cout, cin, k, k], init: 'kaiming_uniform', fanIn: cin * k * k });
  }
  depthwise(name: string, c: number, k: number): string {
    return this.add({ name, kind: 'depthwise', torchShape: [c, 1, k, k], init: 'kaiming_uniform', fanIn: k * k });
  }
  linear(name: string, cout: number, cin: number): { weight: string; bias: string } {
    return {
      weight: this.add({ name: `${name}.weight`, kind: 'linear', torchShape: [cout, cin], init: 'kaiming_uniform', fanIn: cin }),
      bias: this.add({ name: `${name}.bias`, kind: 'vector', torchShape: [cout], init: 'fan_in_uniform', fanIn: cin }),
    };
  }
  /** A BatchNorm: its running buffers, and weight/bias when affine. */
  bn(name: string, c: number, affine: boolean): BnRef {
    this.buffers.push({ name, channels: c });
    if (!affine) return { name, channels: c };
    return {
      name,
      channels: c,
      weight: this.add({ name: `${name}.weight`, kind: 'vector', torchShape: [c], init: 'ones', fanIn: 1 }),
      bias: this.add({ name: `${name}.bias`, kind: 'vector', torchShape: [c], init: 'zeros', fanIn: 1 }),
    };
  }

  private add(p: ParamSpec): string {
    if (this.names.has(p.name)) throw new Error(`duplicate parameter name ${p.name}`);
    this.names.add(p.name);
    this.params.push(p);
    return p.name;
  }
}

export interface BnRef {
  name: string;
  channels: number;
  weight?: string;
  bias?: string;
}
