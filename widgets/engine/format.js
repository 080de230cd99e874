// Number formatting for read-outs and axis labels. DOM-free.

const SI = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"];
const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/** `x` to `digits` significant digits, never in exponent notation (for |x| < 1e21). */
export function sig(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const mag = Math.floor(Math.log10(Math.abs(x)));
  const decimals = Math.max(0, digits - 1 - mag);
  const rounded = Number(x.toFixed(Math.min(decimals, 20)));
  // rounding can add a digit (9.996 -> 10.0); recompute the decimals for the rounded value
  const mag2 = rounded === 0 ? mag : Math.floor(Math.log10(Math.abs(rounded)));
  return rounded.toFixed(Math.min(Math.max(0, digits - 1 - mag2), 20));
}

/** SI prefix form: formatSI(1.42e10, "FLOP") -> "14.2 GFLOP". */
export function formatSI(x, unit = "", digits = 3) {
  if (!Number.isFinite(x)) return `${x} ${unit}`.trim();
  const sign = x < 0 ? "−" : "";
  let a = Math.abs(x);
  let k = 0;
  if (a >= 1) {
    k = Math.min(Math.floor(Math.log10(a) / 3), SI.length - 1);
    // 999.96e9 rounds to "1000 G": move up one prefix instead
    if (k < SI.length - 1 && Number(sig(a / 1000 ** k, digits)) >= 1000) k += 1;
  }
  const body = a === 0 ? "0" : sig(a / 1000 ** k, digits);
  return `${sign}${body} ${SI[k]}${unit}`.trim();
}

/** Binary units: formatBytes(3 * 2 ** 20) -> "3.00 MiB"; below 1 KiB, whole bytes. */
export function formatBytes(x, digits = 3) {
  if (!Number.isFinite(x)) return `${x} B`;
  const sign = x < 0 ? "−" : "";
  const a = Math.abs(x);
  if (a < 1024) return `${sign}${Math.round(a)} B`;
  let k = Math.min(Math.floor(Math.log2(a) / 10), BINARY.length - 1);
  if (k < BINARY.length - 1 && Number(sig(a / 1024 ** k, digits)) >= 1024) k += 1;
  return `${sign}${sig(a / 1024 ** k, digits)} ${BINARY[k]}`;
}

/** Short axis-tick form for bytes: trims trailing zeros ("512 MiB", "1.5 GiB"). */
export function formatBytesShort(x) {
  return formatBytes(x, 3).replace(/\.0+ /, " ").replace(/(\.\d*?)0+ /, "$1 ");
}

/** Short axis-tick form in SI: trims trailing zeros ("10 GFLOP", "2.5 TFLOP"). */
export function formatSIShort(x, unit = "") {
  return formatSI(x, unit, 3).replace(/\.0+ /, " ").replace(/(\.\d*?)0+ /, "$1 ");
}

/** Integer with thousands separators: 1234567 -> "1,234,567". */
export function formatInt(n) {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `−${s}` : s;
}

/** A ratio as "27.4×" (three significant digits; whole numbers from 1,000 up). */
export function formatRatio(r) {
  if (!Number.isFinite(r)) return "—";
  return `${r >= 1000 ? formatInt(r) : sig(r, 3)}×`;
}
