/**
 * Protobuf encoding of the analyzer requests' resource properties
 * (google.protobuf.Struct), written straight from the JavaScript values.
 *
 * Going through google-protobuf (Struct.fromJavaScript, then
 * serializeBinary) builds a message object per value and was the largest
 * cost of the preview's side of the protocol. This encoder produces the
 * same bytes (map keys sorted, as google-protobuf writes them), so the
 * pack decodes exactly what it decoded before; see
 * test/preview/wire.test.ts.
 */

/** A growable byte buffer with the few protobuf primitives the requests need. */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    this.ensure(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** Field with a length-delimited UTF-8 string. */
  string(field: number, s: string): void {
    const len = Buffer.byteLength(s, "utf8");
    this.tag(field, 2);
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, "utf8");
  }

  /** Field with length-delimited bytes (an already encoded message). */
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.raw(b);
  }

  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    this.ensure(8);
    if (Number.isNaN(v)) {
      // google-protobuf writes NaN as 0x7fffffffffffffff; keep its bytes.
      this.buf.writeUInt32LE(0xffffffff, this.pos);
      this.buf.writeUInt32LE(0x7fffffff, this.pos + 4);
    } else this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** Starts a length-delimited field whose length is only known after writing it; see `end`. */
  begin(field: number): number {
    this.tag(field, 2);
    // Reserve one byte for the length; `end` moves the content if the length needs more.
    this.ensure(1);
    return this.pos++;
  }

  end(mark: number): void {
    const len = this.pos - mark - 1;
    let lenBytes = 1;
    for (let v = len; v > 0x7f; v = Math.floor(v / 128)) lenBytes++;
    if (lenBytes > 1) {
      this.ensure(lenBytes - 1);
      this.buf.copy(this.buf, mark + lenBytes, mark + 1, this.pos);
      this.pos += lenBytes - 1;
    }
    let v = len;
    let p = mark;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** google.protobuf.Value fields: null 1, number 2, string 3, bool 4, struct 5, list 6. */
function writeValue(w: ProtoWriter, v: unknown): void {
  switch (typeOf(v)) {
    case "string":
      w.string(3, v as string);
      return;
    case "number":
      w.double(2, v as number);
      return;
    case "boolean":
      w.tag(4, 0);
      w.varint(v ? 1 : 0);
      return;
    case "null":
      w.tag(1, 0);
      w.varint(0);
      return;
    case "array": {
      const mark = w.begin(6);
      for (const x of v as unknown[]) {
        const m = w.begin(1);
        writeValue(w, x);
        w.end(m);
      }
      w.end(mark);
      return;
    }
    case "object": {
      const mark = w.begin(5);
      writeStructFields(w, v as Record<string, unknown>);
      w.end(mark);
      return;
    }
    default:
      // Same failure as google-protobuf's Value.fromJavaScript.
      throw new Error("Unexpected struct type.");
  }
}

/** google.protobuf.Struct: map<string, Value> fields = 1, entries in sorted key order. */
function writeStructFields(w: ProtoWriter, obj: Record<string, unknown>): void {
  const keys: string[] = [];
  for (const k in obj) keys.push(k);
  keys.sort();
  for (const k of keys) {
    const entry = w.begin(1);
    w.string(1, k);
    const value = w.begin(2);
    writeValue(w, obj[k]);
    w.end(value);
    w.end(entry);
  }
}

/** The bytes google-protobuf's `Struct.fromJavaScript(obj).serializeBinary()` produces. */
export function encodeStruct(obj: Record<string, unknown>): Buffer {
  const w = new ProtoWriter();
  writeStructFields(w, obj);
  // A copy, so the cached bytes do not pin the writer's larger buffer.
  return Buffer.from(w.finish());
}
