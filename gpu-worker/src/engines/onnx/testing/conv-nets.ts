import type { OnnxGraph, OnnxNode } from './onnx-protobuf';

/** A 3 -> 3 channel 1x1 convolution: out[c] = sum_k weights[3c + k] * in[k] + bias[c], then tanh or nothing. */
export interface PointwiseNet {
  /** Row-major 3 x 3 matrix: row = output channel, column = input channel. */
  readonly weights: readonly number[];
  readonly bias: readonly [number, number, number];
  readonly activation: 'tanh' | 'none';
}

export interface NetNames {
  readonly input?: string;
  readonly output?: string;
  /** Prefix for weight and intermediate names, so several nets can be merged into one graph. */
  readonly prefix?: string;
}

/** The 3 x 3 identity matrix as pointwise weights: output = input. */
export const IDENTITY: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

/** Graph of one pointwise net on float32 [N, 3, size, size] (dynamic batch like DeepLIIF's exports). */
export function pointwiseGraph(net: PointwiseNet, size: number, names: NetNames = {}): OnnxGraph {
  const input = names.input ?? 'x';
  const output = names.output ?? 'out';
  const p = names.prefix ?? '';
  const convOut = net.activation === 'tanh' ? `${p}conv` : output;
  const nodes: OnnxNode[] = [{ opType: 'Conv', inputs: [input, `${p}w`, `${p}b`], outputs: [convOut], intsAttributes: { kernel_shape: [1, 1] } }];
  if (net.activation === 'tanh') nodes.push({ opType: 'Tanh', inputs: [convOut], outputs: [output] });
  return {
    name: 'pointwise',
    nodes,
    initializers: [
      { name: `${p}w`, dims: [3, 3, 1, 1], values: Float32Array.from(net.weights) },
      { name: `${p}b`, dims: [3], values: Float32Array.from(net.bias) },
    ],
    inputs: [{ name: input, shape: ['N', 3, size, size] }],
    outputs: [{ name: output, shape: ['N', 3, size, size] }],
  };
}

/** Deterministic pseudo-random weights (xorshift32) in [-scale, scale]. */
function seededWeights(count: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = ((s / 0xffffffff) * 2 - 1) * scale;
  }
  return out;
}

/**
 * A compute-heavy net (3x3 conv 3->width, `layers` x 3x3 conv width->width with ReLU, 1x1 conv
 * ->3, tanh): about size^2 * 9 * width^2 * layers multiply-adds, for timing and concurrency tests.
 */
export function heavyGraph(size: number, width: number, layers: number, seed: number, names: NetNames = {}): OnnxGraph {
  const input = names.input ?? 'x';
  const output = names.output ?? 'out';
  const nodes: OnnxNode[] = [];
  const initializers: Array<OnnxGraph['initializers'][number]> = [];
  const conv = (from: string, to: string, inC: number, outC: number, k: number, index: number): void => {
    const scale = Math.sqrt(1 / (inC * k * k));
    initializers.push({ name: `w${index}`, dims: [outC, inC, k, k], values: seededWeights(outC * inC * k * k, seed + index, scale) });
    initializers.push({ name: `b${index}`, dims: [outC], values: new Float32Array(outC) });
    const pad = (k - 1) / 2;
    nodes.push({ opType: 'Conv', inputs: [from, `w${index}`, `b${index}`], outputs: [to], intsAttributes: { kernel_shape: [k, k], pads: [pad, pad, pad, pad] } });
  };
  conv(input, 'h0', 3, width, 3, 0);
  let last = 'h0';
  for (let l = 1; l <= layers; l++) {
    conv(last, `c${l}`, width, width, 3, l);
    nodes.push({ opType: 'Relu', inputs: [`c${l}`], outputs: [`h${l}`] });
    last = `h${l}`;
  }
  conv(last, 'head', width, 3, 1, layers + 1);
  nodes.push({ opType: 'Tanh', inputs: ['head'], outputs: [output] });
  return {
    name: 'heavy',
    nodes,
    initializers,
    inputs: [{ name: input, shape: ['N', 3, size, size] }],
    outputs: [{ name: output, shape: ['N', 3, size, size] }],
  };
}
