// Typed arrays from whatever a widget manager hands us for a binary trait:
// DataView (ipywidgets), ArrayBuffer, a typed array, a base64 string or a
// plain number list. Reads little-endian explicitly. DOM-free.

function bytesOf(v) {
  if (v instanceof DataView) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (typeof v === "string") {
    const bin = atob(v);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  if (v && typeof v === "object" && v.buffer) return bytesOf(v.buffer);
  return new Uint8Array(0);
}

function decode(v, Type, read) {
  if (Array.isArray(v)) return Type.from(v, Number);
  const b = bytesOf(v);
  const n = Math.floor(b.byteLength / Type.BYTES_PER_ELEMENT);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Type(n);
  for (let i = 0; i < n; i++) out[i] = read(view, i * Type.BYTES_PER_ELEMENT);
  return out;
}

export function toFloat32(v) {
  return decode(v, Float32Array, (d, o) => d.getFloat32(o, true));
}

export function toInt32(v) {
  return decode(v, Int32Array, (d, o) => d.getInt32(o, true));
}
