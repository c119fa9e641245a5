/**
 * A minimal protocol-buffers writer for the subset of onnx.proto the test models need
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 * Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto; writing them by
 * hand keeps the project free of a protobuf dependency for a few hundred bytes of models.
 */

/** A tensor dimension: a fixed size or a symbolic name (e.g. 'N' for a dynamic batch). */
export type OnnxDim = number | string;

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Integer-list attributes (kernel_shape, pads, strides...). */
  readonly intsAttributes?: Readonly<Record<string, readonly number[]>>;
  readonly floatAttributes?: Readonly<Record<string, number>>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly values: Float32Array;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  /** float32 graph inputs and outputs with their shapes. */
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly shape: readonly OnnxDim[] }>;
  readonly outputs: ReadonlyArray<{ readonly name: string; readonly shape: readonly OnnxDim[] }>;
}

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_BYTES = 2;
const ONNX_FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INTS = 7;

/** Byte sink with the protobuf primitives; large payloads are kept as chunks, not copied per byte. */
class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];

  varint(value: number): this {
    // Negative int64 values (never written here) would need 10 bytes; reject rather than corrupt.
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint expects a non-negative integer, got ${value}`);
    let v = value;
    while (v >= 0x80) {
      this.pending.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.pending.push(v);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  intField(field: number, value: number): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  floatField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    return this.raw(new Uint8Array(new Float32Array([value]).buffer));
  }

  bytesField(field: number, value: Uint8Array): this {
    return this.tag(field, WIRE_BYTES).varint(value.length).raw(value);
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  messageField(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flush();
    const total = this.chunks.reduce((sum, c) => sum + c.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }

  private raw(bytes: Uint8Array): this {
    this.flush();
    this.chunks.push(bytes);
    return this;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
}

function writeValueInfo(w: ProtoWriter, name: string, shape: readonly OnnxDim[]): void {
  w.stringField(1, name);
  w.messageField(2, (type) =>
    type.messageField(1, (tensor) => {
      tensor.intField(1, ONNX_FLOAT);
      tensor.messageField(2, (shapeProto) => {
        for (const dim of shape) {
          shapeProto.messageField(1, (d) => (typeof dim === 'number' ? d.intField(1, dim) : d.stringField(2, dim)));
        }
      });
    }),
  );
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.stringField(1, input);
  for (const output of node.outputs) w.stringField(2, output);
  if (node.name) w.stringField(3, node.name);
  w.stringField(4, node.opType);
  for (const [name, ints] of Object.entries(node.intsAttributes ?? {})) {
    w.messageField(5, (a) => {
      a.stringField(1, name);
      for (const i of ints) a.intField(8, i);
      a.intField(20, ATTRIBUTE_INTS);
    });
  }
  for (const [name, f] of Object.entries(node.floatAttributes ?? {})) {
    w.messageField(5, (a) => a.stringField(1, name).floatField(2, f).intField(20, ATTRIBUTE_FLOAT));
  }
}

function writeInitializer(w: ProtoWriter, init: OnnxInitializer): void {
  for (const d of init.dims) w.intField(1, d);
  w.intField(2, ONNX_FLOAT);
  w.stringField(8, init.name);
  // raw_data is little-endian float32, which is how typed arrays lay out on every host Node runs on.
  w.bytesField(9, new Uint8Array(init.values.buffer, init.values.byteOffset, init.values.byteLength));
}

/** Serialises a float32 graph as an ONNX ModelProto (IR version 8, default-domain opset 13). */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.intField(1, 8);
  model.stringField(2, 'restain-test-model');
  model.messageField(7, (g) => {
    for (const node of graph.nodes) g.messageField(1, (n) => writeNode(n, node));
    g.stringField(2, graph.name);
    for (const init of graph.initializers) g.messageField(5, (t) => writeInitializer(t, init));
    for (const input of graph.inputs) g.messageField(11, (v) => writeValueInfo(v, input.name, input.shape));
    for (const output of graph.outputs) g.messageField(12, (v) => writeValueInfo(v, output.name, output.shape));
  });
  model.messageField(8, (o) => o.stringField(1, '').intField(2, 13));
  return model.finish();
}
