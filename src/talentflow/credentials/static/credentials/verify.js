// The talent code (人才码) verifier for the browser: the same checks, in the same order and with
// the same reason codes, as talentflow.credentials.code.verify on the server. An ES module with
// no build step and no network use: a provider's counter page loads it with the signed trust and
// revocation lists it cached earlier and verifies codes offline.
//
//   "TF1:" + base45( zlib( COSE_Sign1 ) )
//   COSE_Sign1 = tag 18 [ bstr(cbor({1: -7, 4: kid})), {}, bstr(cbor(claims)), bstr(r || s) ]
//   claims     = {1: iss, 6: iat, 4: exp, -260: {1: {"v": 1, "sid", "cat", "tier", "grp", "mn"}}}
//
// Decoding is as strict as the server's (canonical base45, a zlib stream that ends exactly at
// the end of the data, definite-length CBOR items spanning their whole byte strings, no
// duplicate map keys). The zlib stream is inflated here rather than with DecompressionStream
// because a single-byte change of the text can flip only the unused padding bits after the last
// deflate block, which every inflater ignores: this one refuses non-zero padding bits.

export const PREFIX = "TF1:";
export const SKEW = 300; // seconds of clock skew allowed before iat
export const REASONS = Object.freeze([
  "format",
  "unknown_key",
  "key_not_valid",
  "signature",
  "not_yet_valid",
  "expired",
  "revoked",
  "ineligible",
]);
const ALG_ES256 = -7;
const CLAIMS_KEY = -260;
const CLAIM_FIELDS = ["v", "sid", "cat", "tier", "grp", "mn"];
const MAX_INFLATED = 1 << 16; // the server inflates at most 64 KiB
const ECDSA_P256 = { name: "ECDSA", namedCurve: "P-256" };
const ES256 = { name: "ECDSA", hash: "SHA-256" };

/** A malformed code (reason "format"). */
export class FormatError extends Error {}

/** A signed list that does not open: wrong shape, wrong key or a bad signature. */
export class ListSignatureError extends Error {}

const fail = (message) => {
  throw new FormatError(message);
};

// ------------------------------------------------------------------------------------------
// Bytes

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function toHex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** Strict standard base64 (as Python's ``b64decode(validate=True)``). */
export function base64Decode(text) {
  if (typeof text !== "string" || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new Error("bad base64");
  }
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function base64Encode(bytes) {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** The key id: the first 8 bytes of SHA-256 of the SubjectPublicKeyInfo DER. */
export async function kidOf(spki) {
  return (await sha256(spki)).slice(0, 8);
}

// ------------------------------------------------------------------------------------------
// base45 (RFC 9285), strict

const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const B45_VALUE = new Map([...BASE45].map((c, i) => [c, i]));

/** The bytes of a base45 text; throws FormatError on any character, length or group out of
 * range, so every text decodes to at most one byte string. */
export function base45Decode(text) {
  const n = text.length;
  if (n % 3 === 1) fail("bad base45 length");
  const values = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = B45_VALUE.get(text[i]);
    if (v === undefined) fail("not a base45 character");
    values[i] = v;
  }
  const out = new Uint8Array(Math.floor(n / 3) * 2 + (n % 3 === 2 ? 1 : 0));
  let o = 0;
  let i = 0;
  for (; i + 3 <= n; i += 3) {
    const x = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
    if (x > 0xffff) fail("base45 group out of range");
    out[o++] = x >> 8;
    out[o++] = x & 0xff;
  }
  if (n - i === 2) {
    const x = values[i] + values[i + 1] * 45;
    if (x > 0xff) fail("base45 group out of range");
    out[o++] = x;
  }
  return out;
}

export function base45Encode(bytes) {
  let out = "";
  let i = 0;
  for (; i + 2 <= bytes.length; i += 2) {
    let x = (bytes[i] << 8) | bytes[i + 1];
    const e = Math.floor(x / 2025);
    x %= 2025;
    out += BASE45[x % 45] + BASE45[Math.floor(x / 45)] + BASE45[e];
  }
  if (i < bytes.length) out += BASE45[bytes[i] % 45] + BASE45[Math.floor(bytes[i] / 45)];
  return out;
}

// ------------------------------------------------------------------------------------------
// zlib (RFC 1950) / deflate (RFC 1951) inflate, strict

const LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99,
  115, 131, 163, 195, 227, 258];
const LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025,
  1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
  13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// A canonical Huffman code from code lengths (as zlib: over-subscribed codes are refused, and an
// incomplete one only when it is a single code of length 1, or for the code-length code never).
function huffman(lengths, kind) {
  const count = new Uint16Array(16);
  for (const len of lengths) count[len]++;
  let left = 1;
  let max = 0;
  for (let len = 1; len < 16; len++) {
    left = left * 2 - count[len];
    if (left < 0) fail("bad zlib: over-subscribed code");
    if (count[len]) max = len;
  }
  if (left > 0 && (kind === "codes" || max !== 1) && max !== 0) fail("bad zlib: incomplete code");
  if (kind === "codes" && max === 0) fail("bad zlib: no code lengths");
  const start = new Uint16Array(16);
  for (let len = 2; len < 16; len++) start[len] = start[len - 1] + count[len - 1];
  const symbol = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) if (lengths[s]) symbol[start[lengths[s]]++] = s;
  return { count, symbol };
}

const FIXED_LIT = huffman(
  Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
  "lit",
);
const FIXED_DIST = huffman(new Array(32).fill(5), "dist");

/** The bytes of a zlib stream that must end exactly at the end of ``data`` (Adler-32 checked,
 * padding bits zero, at most 64 KiB out). Throws FormatError. */
export function zlibInflate(data) {
  const n = data.length;
  if (n < 6) fail("bad zlib: too short");
  const cmf = data[0];
  const flg = data[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) {
    fail("bad zlib: header");
  }
  const windowSize = 1 << ((cmf >> 4) + 8);
  const end = n - 4; // the deflate data ends before the Adler-32
  let pos = 2;
  let bitbuf = 0;
  let bitcnt = 0;
  let out = new Uint8Array(1024);
  let outLen = 0;

  const bits = (need) => {
    while (bitcnt < need) {
      if (pos >= end) fail("bad zlib: truncated");
      bitbuf |= data[pos++] << bitcnt;
      bitcnt += 8;
    }
    const v = bitbuf & ((1 << need) - 1);
    bitbuf >>>= need;
    bitcnt -= need;
    return v;
  };
  const decode = (h) => {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      code |= bits(1);
      const count = h.count[len];
      if (code - count < first) return h.symbol[index + (code - first)];
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    fail("bad zlib: invalid code");
  };
  const room = (k) => {
    if (outLen + k > MAX_INFLATED) fail("bad zlib: too long");
    if (outLen + k > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, outLen + k));
      bigger.set(out.subarray(0, outLen));
      out = bigger;
    }
  };
  const codes = (lit, dist) => {
    for (;;) {
      let sym = decode(lit);
      if (sym < 256) {
        room(1);
        out[outLen++] = sym;
      } else if (sym === 256) {
        return;
      } else {
        sym -= 257;
        if (sym >= 29) fail("bad zlib: invalid length code");
        const len = LBASE[sym] + bits(LEXT[sym]);
        const ds = decode(dist);
        if (ds >= 30) fail("bad zlib: invalid distance code");
        const d = DBASE[ds] + bits(DEXT[ds]);
        if (d > outLen || d > windowSize) fail("bad zlib: distance too far back");
        room(len);
        for (let k = 0; k < len; k++, outLen++) out[outLen] = out[outLen - d];
      }
    }
  };

  let last = 0;
  while (!last) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      if (bitbuf !== 0) fail("bad zlib: non-zero padding bits");
      bitbuf = 0;
      bitcnt = 0;
      if (pos + 4 > end) fail("bad zlib: truncated");
      const len = data[pos] | (data[pos + 1] << 8);
      const nlen = data[pos + 2] | (data[pos + 3] << 8);
      pos += 4;
      if (len !== (~nlen & 0xffff)) fail("bad zlib: stored block length");
      if (pos + len > end) fail("bad zlib: truncated");
      room(len);
      out.set(data.subarray(pos, pos + len), outLen);
      outLen += len;
      pos += len;
    } else if (type === 1) {
      codes(FIXED_LIT, FIXED_DIST);
    } else if (type === 2) {
      const nlen = bits(5) + 257;
      const ndist = bits(5) + 1;
      const ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) fail("bad zlib: too many length or distance symbols");
      const cl = new Array(19).fill(0);
      for (let k = 0; k < ncode; k++) cl[CL_ORDER[k]] = bits(3);
      const clCode = huffman(cl, "codes");
      const lengths = [];
      while (lengths.length < nlen + ndist) {
        const sym = decode(clCode);
        if (sym < 16) {
          lengths.push(sym);
          continue;
        }
        let value = 0;
        let repeat;
        if (sym === 16) {
          if (!lengths.length) fail("bad zlib: repeat with no first length");
          value = lengths[lengths.length - 1];
          repeat = 3 + bits(2);
        } else if (sym === 17) {
          repeat = 3 + bits(3);
        } else {
          repeat = 11 + bits(7);
        }
        if (lengths.length + repeat > nlen + ndist) fail("bad zlib: too many lengths");
        for (let k = 0; k < repeat; k++) lengths.push(value);
      }
      if (lengths[256] === 0) fail("bad zlib: missing end-of-block code");
      codes(huffman(lengths.slice(0, nlen), "lit"), huffman(lengths.slice(nlen), "dist"));
    } else {
      fail("bad zlib: invalid block type");
    }
  }
  // The bits after the last block up to the byte boundary are padding: zlib writes zeros there
  // and a changed padding bit must not leave the code valid.
  if (bitbuf !== 0) fail("bad zlib: non-zero padding bits");
  if (pos !== end) fail("bad zlib: trailing bytes");
  let a = 1;
  let b = 0;
  for (let k = 0; k < outLen; k++) {
    a = (a + out[k]) % 65521;
    b = (b + a) % 65521;
  }
  const adler = ((data[end] << 24) | (data[end + 1] << 16) | (data[end + 2] << 8) | data[end + 3]) >>> 0;
  if (adler !== ((b * 65536 + a) >>> 0)) fail("bad zlib: Adler-32 mismatch");
  return out.slice(0, outLen);
}

// ------------------------------------------------------------------------------------------
// CBOR (RFC 8949): a decoder as strict as the server's (cbor2 without indefinite lengths or
// duplicate keys, each item spanning its whole byte string) and a minimal encoder.
//
// Integers decode to numbers (BigInt beyond 2^53); byte strings to Uint8Array; text to string;
// arrays to Array; maps to Map; floats to CborFloat; tags to CborTag (bignums, tags 2 and 3,
// decode to integers as in cbor2); simple values to CborSimple, null, undefined and booleans.
// Map keys follow Python's equality, as the server's dict: true is 1, false is 0, an integral
// float is that integer; other keys that are equal (bytes, floats, arrays...) are one key.

export class CborTag {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}
export class CborFloat {
  constructor(value) {
    this.value = value;
  }
}
export class CborSimple {
  constructor(value) {
    this.value = value;
  }
}

function normaliseInt(big) {
  return big >= -Number.MAX_SAFE_INTEGER && big <= Number.MAX_SAFE_INTEGER ? Number(big) : big;
}

function halfToFloat(h) {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  let v;
  if (exp === 0) v = mant * 2 ** -24;
  else if (exp === 31) v = mant ? NaN : Infinity;
  else v = (1024 + mant) * 2 ** (exp - 25);
  return h & 0x8000 ? -v : v;
}

let nanKeys = 0;
function keyString(v) {
  if (typeof v === "number" || typeof v === "bigint") return `i:${v}`;
  if (typeof v === "string") return `t:${JSON.stringify(v)}`;
  if (typeof v === "boolean") return v ? "i:1" : "i:0";
  if (v === null) return "n";
  if (v === undefined) return "u";
  if (v instanceof CborFloat) {
    if (Number.isNaN(v.value)) return `nan:${nanKeys++}`;
    if (Number.isInteger(v.value)) return `i:${BigInt(v.value)}`;
    return `f:${v.value}`;
  }
  if (v instanceof CborSimple) return `s:${v.value}`;
  if (v instanceof Uint8Array) return `b:${toHex(v)}`;
  if (Array.isArray(v)) return `a:[${v.map(keyString).join(",")}]`;
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, x]) => `${keyString(k)}=${keyString(x)}`);
    return `m:{${entries.sort().join(",")}}`;
  }
  if (v instanceof CborTag) return `g:${v.tag}:${keyString(v.value)}`;
  return `o:${nanKeys++}`;
}

class CborDecoder {
  constructor(bytes) {
    this.b = bytes;
    this.p = 0;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.interned = new Map();
    this.shareables = [];
  }

  need(k) {
    if (this.p + k > this.b.length) fail("bad CBOR: truncated");
  }

  arg(ai) {
    if (ai < 24) return ai;
    let v;
    if (ai === 24) {
      this.need(1);
      v = this.b[this.p];
      this.p += 1;
    } else if (ai === 25) {
      this.need(2);
      v = this.dv.getUint16(this.p);
      this.p += 2;
    } else if (ai === 26) {
      this.need(4);
      v = this.dv.getUint32(this.p);
      this.p += 4;
    } else if (ai === 27) {
      this.need(8);
      v = normaliseInt(this.dv.getBigUint64(this.p));
      this.p += 8;
    } else if (ai === 31) {
      fail("bad CBOR: indefinite length");
    } else {
      fail("bad CBOR: reserved additional information");
    }
    return v;
  }

  length(ai) {
    const v = this.arg(ai);
    if (typeof v !== "number" || v > this.b.length - this.p) fail("bad CBOR: truncated");
    return v;
  }

  key(v) {
    if (typeof v === "number" || typeof v === "bigint" || typeof v === "string") return v;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (v instanceof CborFloat && Number.isInteger(v.value)) {
      return normaliseInt(BigInt(v.value));
    }
    const s = keyString(v);
    if (!this.interned.has(s)) this.interned.set(s, { key: v });
    return this.interned.get(s);
  }

  item(depth = 0) {
    if (depth > 200) fail("bad CBOR: nested too deeply");
    this.need(1);
    const ib = this.b[this.p++];
    const major = ib >> 5;
    const ai = ib & 31;
    switch (major) {
      case 0:
        return this.arg(ai);
      case 1: {
        const v = this.arg(ai);
        return normaliseInt(-1n - BigInt(v));
      }
      case 2: {
        const len = this.length(ai);
        const v = this.b.slice(this.p, this.p + len);
        this.p += len;
        return v;
      }
      case 3: {
        const len = this.length(ai);
        let v;
        try {
          v = utf8Strict.decode(this.b.subarray(this.p, this.p + len));
        } catch {
          fail("bad CBOR: invalid UTF-8");
        }
        this.p += len;
        return v;
      }
      case 4: {
        const len = this.length(ai);
        const v = [];
        for (let k = 0; k < len; k++) v.push(this.item(depth + 1));
        return v;
      }
      case 5: {
        const len = this.length(ai);
        const v = new Map();
        for (let k = 0; k < len; k++) {
          const key = this.key(this.item(depth + 1));
          if (v.has(key)) fail("bad CBOR: duplicate map key");
          v.set(key, this.item(depth + 1));
        }
        return v;
      }
      case 6:
        return this.tagged(normaliseInt(BigInt(this.arg(ai))), depth);
      default:
        return this.simple(ai);
    }
  }

  // The tags cbor2 gives a meaning to: bignums become integers, the self-describe and
  // namespace tags are transparent, the others must have a content of the right type.
  tagged(tag, depth) {
    if (tag === 28) {
      const index = this.shareables.length;
      this.shareables.push(undefined);
      const v = this.item(depth + 1);
      this.shareables[index] = v;
      return v;
    }
    const v = this.item(depth + 1);
    const isInt = typeof v === "number" || typeof v === "bigint";
    switch (tag) {
      case 2:
      case 3: {
        if (!(v instanceof Uint8Array)) fail("bad CBOR: bignum must be a byte string");
        const n = v.length ? BigInt(`0x${toHex(v)}`) : 0n;
        return normaliseInt(tag === 2 ? n : -1n - n);
      }
      case 0:
      case 35:
      case 36:
        if (typeof v !== "string") fail(`bad CBOR: tag ${tag} must hold a text`);
        break;
      case 1:
        if (!isInt && !(v instanceof CborFloat)) fail("bad CBOR: tag 1 must hold a number");
        break;
      case 4:
      case 5:
      case 30:
        if (!Array.isArray(v) || v.length !== 2) fail(`bad CBOR: tag ${tag} must hold a pair`);
        if (tag === 30 && v[1] === 0) fail("bad CBOR: zero denominator");
        break;
      case 25:
        fail("bad CBOR: string reference outside of namespace");
        break;
      case 29:
        if (typeof v !== "number" || v >= this.shareables.length) {
          fail("bad CBOR: shared reference not found");
        }
        return this.shareables[v];
      case 37:
        if (!(v instanceof Uint8Array) || v.length !== 16) fail("bad CBOR: bad UUID");
        break;
      case 258:
        if (!Array.isArray(v)) fail("bad CBOR: a set must hold an array");
        break;
      case 260:
        if (!(v instanceof Uint8Array)) fail("bad CBOR: bad IP address");
        break;
      case 261:
        if (!(v instanceof Map)) fail("bad CBOR: bad IP network");
        break;
      case 256:
      case 55799:
        return v;
      default:
    }
    return new CborTag(tag, v);
  }

  simple(ai) {
    if (ai < 20) return new CborSimple(ai);
    if (ai === 20) return false;
    if (ai === 21) return true;
    if (ai === 22) return null;
    if (ai === 23) return undefined;
    if (ai === 24) {
      this.need(1);
      const v = this.b[this.p++];
      if (v < 32) fail("bad CBOR: invalid two-byte simple value");
      return new CborSimple(v);
    }
    if (ai === 25) {
      this.need(2);
      const v = halfToFloat(this.dv.getUint16(this.p));
      this.p += 2;
      return new CborFloat(v);
    }
    if (ai === 26) {
      this.need(4);
      const v = this.dv.getFloat32(this.p);
      this.p += 4;
      return new CborFloat(v);
    }
    if (ai === 27) {
      this.need(8);
      const v = this.dv.getFloat64(this.p);
      this.p += 8;
      return new CborFloat(v);
    }
    if (ai === 31) fail("bad CBOR: break code where a data item was expected");
    fail("bad CBOR: reserved simple value");
  }
}

/** One CBOR item that must span all of ``bytes``; throws FormatError. */
export function cborDecode(bytes) {
  const decoder = new CborDecoder(bytes);
  const v = decoder.item();
  if (decoder.p !== bytes.length) fail("bad CBOR: trailing bytes after the item");
  return v;
}

function head(major, n) {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  if (n < 0x100000000) return [m | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  throw new RangeError("too large for this encoder");
}

/** Minimal-length CBOR of integers, texts, byte strings, arrays and Maps (enough for the
 * Sig_structure; the same bytes as cbor2.dumps). */
export function cborEncode(value) {
  const parts = [];
  const walk = (v) => {
    if (typeof v === "number" && Number.isInteger(v)) {
      parts.push(new Uint8Array(v >= 0 ? head(0, v) : head(1, -1 - v)));
    } else if (typeof v === "string") {
      const b = utf8.encode(v);
      parts.push(new Uint8Array(head(3, b.length)), b);
    } else if (v instanceof Uint8Array) {
      parts.push(new Uint8Array(head(2, v.length)), v);
    } else if (Array.isArray(v)) {
      parts.push(new Uint8Array(head(4, v.length)));
      v.forEach(walk);
    } else if (v instanceof Map) {
      parts.push(new Uint8Array(head(5, v.size)));
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else {
      throw new TypeError("cborEncode: unsupported value");
    }
  };
  walk(value);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The bytes ES256 signs (RFC 9052 §4.4, no external AAD). */
export function sigStructure(protectedBytes, payload) {
  return cborEncode(["Signature1", protectedBytes, new Uint8Array(0), payload]);
}

// ------------------------------------------------------------------------------------------
// The code

const isInt = (v) => typeof v === "number" || typeof v === "bigint";

function sameKeys(map, keys) {
  return map.size === keys.length && keys.every((k) => map.has(k));
}

function claimsFrom(data) {
  if (!(data instanceof Map) || !sameKeys(data, [1, 6, 4, CLAIMS_KEY])) {
    fail("claims must be a map with keys 1, 6, 4 and -260");
  }
  const iss = data.get(1);
  const iat = data.get(6);
  const exp = data.get(4);
  const outer = data.get(CLAIMS_KEY);
  if (typeof iss !== "string" || !iss) fail("iss must be a non-empty text");
  if (!isInt(iat)) fail("iat must be an integer");
  if (!isInt(exp)) fail("exp must be an integer");
  if (!(outer instanceof Map) || !sameKeys(outer, [1])) {
    fail("claim -260 must be a map with the single key 1");
  }
  const talent = outer.get(1);
  if (!(talent instanceof Map) || !sameKeys(talent, CLAIM_FIELDS)) {
    fail("talent claims must have exactly grp, cat, mn, sid, tier and v");
  }
  const v = talent.get("v");
  if (!isInt(v) || v !== 1) fail("unsupported talent claims version");
  for (const name of ["sid", "cat", "tier", "mn"]) {
    if (typeof talent.get(name) !== "string") fail(`${name} must be a text`);
  }
  const grp = talent.get("grp");
  if (!Array.isArray(grp) || !grp.every((g) => typeof g === "string")) {
    fail("grp must be an array of texts");
  }
  return {
    iss,
    iat,
    exp,
    sid: talent.get("sid"),
    cat: talent.get("cat"),
    tier: talent.get("tier"),
    grp: [...grp],
    mn: talent.get("mn"),
  };
}

/** The COSE_Sign1 bytes of a code text; throws FormatError. */
export function decodeText(text) {
  if (typeof text !== "string" || !text.startsWith(PREFIX)) fail(`missing the ${PREFIX} prefix`);
  return zlibInflate(base45Decode(text.slice(PREFIX.length)));
}

/** Structure and claims of COSE_Sign1 bytes (signature not checked); throws FormatError. */
export function parseCose(cose) {
  const tagged = cborDecode(cose);
  if (!(tagged instanceof CborTag) || tagged.tag !== 18) fail("not a COSE_Sign1 (tag 18)");
  const item = tagged.value;
  if (!Array.isArray(item) || item.length !== 4) fail("COSE_Sign1 must be an array of 4");
  const [protectedBytes, unprotected, payload, signature] = item;
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array)) {
    fail("protected header and payload must be byte strings");
  }
  if (!(unprotected instanceof Map)) fail("unprotected header must be a map");
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    fail("signature must be 64 bytes");
  }
  const header = cborDecode(protectedBytes);
  if (!(header instanceof Map)) fail("protected header must be a map");
  const alg = header.get(1);
  const kid = header.get(4);
  if (!isInt(alg) || alg !== ALG_ES256) fail("protected header: alg must be ES256 (-7)");
  if (!(kid instanceof Uint8Array) || !kid.length) fail("protected header: missing kid");
  const claims = claimsFrom(cborDecode(payload));
  return { protected: protectedBytes, payload, signature, kid, claims };
}

// ------------------------------------------------------------------------------------------
// Signed lists

function codePointCompare(a, b) {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

/** The exact text that is signed: ``json.dumps(body, sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False)`` — keys sorted by code point, no whitespace, no floats. */
export function canonicalJson(value) {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error("floats are not allowed in a signed list");
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort(codePointCompare);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  throw new Error(`${typeof value} is not allowed in a signed list`);
}

async function importP256(spki) {
  return crypto.subtle.importKey("spki", spki, ECDSA_P256, false, ["verify"]);
}

async function verifyRaw(key, signature, data) {
  if (signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify(ES256, key, signature, data);
  } catch {
    return false;
  }
}

/** The body of a signed list ``{"body", "kid", "sig"}``, checked against the pinned root public
 * key (SPKI DER, base64). Throws ListSignatureError. */
export async function openSignedList(signed, rootSpkiB64) {
  let body;
  let kid;
  let sig;
  let spki;
  let rootKey;
  try {
    ({ body } = signed);
    if (body === undefined) throw new Error("no body");
    kid = base64Decode(signed.kid);
    sig = base64Decode(signed.sig);
    spki = base64Decode(rootSpkiB64);
    rootKey = await importP256(spki);
  } catch (exc) {
    throw new ListSignatureError(`malformed signed list: ${exc.message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new ListSignatureError("the body is not an object");
  }
  if (!bytesEqual(kid, await kidOf(spki))) {
    throw new ListSignatureError("signed by another key than the pinned root key");
  }
  let data;
  try {
    data = utf8.encode(canonicalJson(body));
  } catch (exc) {
    throw new ListSignatureError(exc.message);
  }
  if (!(await verifyRaw(rootKey, sig, data))) throw new ListSignatureError("bad signature");
  return body;
}

function toInt(v) {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v)) return normaliseInt(BigInt(v.trim()));
  throw new Error(`not an integer: ${v}`);
}

/** A trust list body (``{"issuer", "issued_at", "keys": [...]}``, opened with openSignedList)
 * made ready for verifyCode: each key's kid checked against its SPKI and imported once. */
export async function loadTrustList(body) {
  const keys = new Map();
  for (const item of body.keys) {
    const spki = base64Decode(item.spki);
    const kid = base64Decode(item.kid);
    if (!bytesEqual(kid, await kidOf(spki))) {
      throw new Error(`trust list key ${item.kid}: kid does not match its SPKI`);
    }
    keys.set(toHex(kid), {
      kid,
      region: String(item.region),
      spki,
      notBefore: toInt(item.not_before),
      notAfter: toInt(item.not_after),
      alg: String(item.alg ?? "ES256"),
      publicKey: null,
    });
  }
  return { issuer: String(body.issuer), issuedAt: toInt(body.issued_at), keys, loaded: true };
}

/** ``sha256(iss + ":" + sid)[:16]`` as 32 hex characters. */
export async function revocationHash(iss, sid) {
  return toHex((await sha256(utf8.encode(`${iss}:${sid}`))).slice(0, 16));
}

/** A revocation list held by a client: merge the full body first, then each delta fetched with
 * ``?since=<seq>``; ``toBody()`` gives a body to store and load again. */
export class RevocationList {
  constructor(issuer) {
    this.issuer = String(issuer);
    this.seq = 0;
    this.issuedAt = 0;
    this.entries = new Map(); // h -> {h, since, seq}
  }

  static fromBody(body) {
    const list = new RevocationList(body.issuer);
    list.merge(body);
    return list;
  }

  merge(delta) {
    if (String(delta.issuer) !== this.issuer) {
      throw new Error(`revocation list of ${delta.issuer}, not ${this.issuer}`);
    }
    for (const item of delta.entries) {
      const h = String(item.h).toLowerCase();
      if (!/^[0-9a-f]{32}$/.test(h)) throw new Error(`bad revocation hash ${h}`);
      const entry = { h, since: toInt(item.since), seq: toInt(item.seq) };
      const current = this.entries.get(h);
      if (current === undefined || entry.seq > current.seq) this.entries.set(h, entry);
    }
    const seq = toInt(delta.seq);
    if (seq > this.seq) this.seq = seq;
    const issuedAt = toInt(delta.issued_at ?? 0);
    if (issuedAt > this.issuedAt) this.issuedAt = issuedAt;
    return this;
  }

  async contains(iss, sid, iat) {
    const entry = this.entries.get(await revocationHash(iss, sid));
    return entry !== undefined && iat < entry.since;
  }

  toBody() {
    const entries = [...this.entries.values()].sort((a, b) =>
      a.seq !== b.seq ? (a.seq < b.seq ? -1 : 1) : a.h < b.h ? -1 : a.h > b.h ? 1 : 0,
    );
    return { issuer: this.issuer, seq: this.seq, entries, issued_at: this.issuedAt };
  }
}

/** Whether a service ``{code, group, eligible_tiers}`` admits these claims. */
export function serviceAdmits(service, claims) {
  return service.eligible_tiers.includes(claims.tier) && claims.grp.includes(service.group);
}

// ------------------------------------------------------------------------------------------
// Verify

const prepared = new WeakMap();

async function trustOf(trust) {
  if (trust && trust.loaded) return trust;
  if (!prepared.has(trust)) prepared.set(trust, loadTrustList(trust));
  return prepared.get(trust);
}

const refuse = (reason, detail) => ({ ok: false, reason, detail });

/**
 * Check a code text against the cached lists, with no network use.
 *
 * - ``trust``: the opened trust list body, or loadTrustList(body) of it (faster when reused);
 * - ``revocation``: a RevocationList, an opened revocation list body, or null;
 * - ``now``: epoch seconds (default: the device clock);
 * - ``service``: ``{code, group, eligible_tiers}`` or null.
 *
 * Returns ``{ok: true, claims, kid, region}`` or ``{ok: false, reason, detail}`` with the first
 * failing reason of REASONS.
 */
export async function verifyCode(text, { trust, revocation = null, now, service = null } = {}) {
  const t = now ?? Math.floor(Date.now() / 1000);
  let parsed;
  try {
    parsed = parseCose(decodeText(text));
  } catch (exc) {
    if (exc instanceof FormatError) return refuse("format", exc.message);
    throw exc;
  }
  const { claims } = parsed;
  const trustList = await trustOf(trust);
  const key = trustList.keys.get(toHex(parsed.kid));
  if (key === undefined) {
    return refuse("unknown_key", `key ${base64Encode(parsed.kid)} is not in the trust list`);
  }
  if (key.region !== claims.iss) {
    return refuse("unknown_key", `key ${base64Encode(parsed.kid)} is ${key.region}'s, not ${claims.iss}'s`);
  }
  if (!(key.notBefore <= claims.iat && claims.iat <= key.notAfter)) {
    return refuse(
      "key_not_valid",
      `issued at ${claims.iat}, outside the key's [${key.notBefore}, ${key.notAfter}]`,
    );
  }
  if (key.publicKey === null) key.publicKey = importP256(key.spki);
  let publicKey;
  try {
    publicKey = await key.publicKey;
  } catch {
    return refuse("signature", "the key in the trust list cannot be used");
  }
  if (!(await verifyRaw(publicKey, parsed.signature, sigStructure(parsed.protected, parsed.payload)))) {
    return refuse("signature", "the signature does not verify");
  }
  if (t + SKEW < claims.iat) return refuse("not_yet_valid", `issued at ${claims.iat}, now ${t}`);
  if (t >= claims.exp) return refuse("expired", `expired at ${claims.exp}, now ${t}`);
  if (revocation) {
    const list = revocation instanceof RevocationList ? revocation : RevocationList.fromBody(revocation);
    if (await list.contains(claims.iss, claims.sid, claims.iat)) {
      return refuse("revoked", "the talent's credential was revoked");
    }
  }
  if (service && !serviceAdmits(service, claims)) {
    return refuse(
      "ineligible",
      `service ${service.code} is for tiers ${service.eligible_tiers.join(", ")} in group ${service.group}`,
    );
  }
  return { ok: true, claims, kid: parsed.kid, region: key.region };
}
