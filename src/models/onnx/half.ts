/** IEEE 754 half to float: onnxruntime-node hands fp16 tensors over as raw Uint16Array bits. */
let table: Float32Array | undefined;

function build(): Float32Array {
  const out = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) out[h] = sign * frac * 2 ** -24;
    else if (exp === 31) out[h] = frac ? NaN : sign * Infinity;
    else out[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

export function halfToFloat(bits: Uint16Array): Float32Array {
  table ??= build();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

/** A float32 view of a float32 or float16 tensor's data. */
export function asFloat32(data: unknown): Float32Array {
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return halfToFloat(data);
  throw new Error(`expected float32 or float16 data, found ${Object.prototype.toString.call(data)}`);
}
