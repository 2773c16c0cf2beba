import net from "node:net";
import type { LoadRequest } from "./load";

/**
 * A minimal HTTP/1.1 keep-alive client for the paced benchmark: one pre-serialized write per
 * request and a response reader that only finds the status and where the response ends. The load
 * generator shares the machine's two cores with the app it measures; node:http's client cost
 * ~0.35–0.45 ms of CPU per request there (three times autocannon's), all of it taken from the app
 * during exactly the runs that measure latency.
 */

/** Serializes one request: request line, headers (Host and Content-Length added), body. */
export function serializeRequest(host: string, r: LoadRequest): Buffer {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(r.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (body) head += `content-length: ${body.length}\r\n`;
  head += "\r\n";
  return body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : Buffer.from(head, "latin1");
}

/**
 * Reads one response at a time from a byte stream: feed it what arrives; it returns the status
 * once the whole response (Content-Length or chunked body) is in, else undefined. Throws on bytes
 * that are not an HTTP/1.1 response it understands.
 */
export class ResponseReader {
  private buffered: Buffer = Buffer.alloc(0);

  feed(data: Buffer): number | undefined {
    this.buffered = this.buffered.length === 0 ? data : Buffer.concat([this.buffered, data]);
    const headEnd = this.buffered.indexOf("\r\n\r\n");
    if (headEnd < 0) return undefined;
    const head = this.buffered.toString("latin1", 0, headEnd);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 40))}`);
    const bodyStart = headEnd + 4;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let end: number | undefined;
    // 204 and 304 never have a body, whatever their headers say.
    if (status === 204 || status === 304) end = bodyStart;
    else if (length) end = bodyStart + Number(length[1]);
    else if (/\r\ntransfer-encoding: *chunked/i.test(head)) end = chunkedEnd(this.buffered, bodyStart);
    else throw new Error("response without Content-Length or chunked body");
    if (end === undefined || this.buffered.length < end) return undefined;
    if (this.buffered.length > end) throw new Error("bytes after the response (none were asked for)");
    this.buffered = Buffer.alloc(0);
    return status;
  }
}

/** Where a chunked body starting at `from` ends (after its last CRLF), or undefined while incomplete. */
function chunkedEnd(buffer: Buffer, from: number): number | undefined {
  let at = from;
  for (;;) {
    const lineEnd = buffer.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString("latin1", at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error("bad chunk size");
    if (size === 0) {
      // No trailers are sent to us: the terminating chunk is "0\r\n\r\n".
      return buffer.length >= lineEnd + 4 ? lineEnd + 4 : undefined;
    }
    at = lineEnd + 2 + size + 2;
    if (buffer.length < at) return undefined;
  }
}

/** Up to `max` keep-alive connections; requests beyond that wait for a free one, in order. */
export class LeanPool {
  private idle: Connection[] = [];
  private waiting: { bytes: Buffer; done: (status: number | Error) => void }[] = [];
  /** Every open connection's socket: its size is how many are open. */
  private all = new Set<net.Socket>();

  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly max: number,
  ) {}

  /** Sends one request; resolves with its status, or an Error when its connection failed. */
  send(bytes: Buffer): Promise<number | Error> {
    return new Promise((done) => {
      // Oldest idle first: every connection keeps being used, so none sits idle long enough for the
      // server's keep-alive timeout (5 s) to close it just as a request is written to it.
      const connection = this.idle.shift();
      if (connection) connection.send(bytes, done);
      else if (this.all.size < this.max) this.connect().send(bytes, done);
      else this.waiting.push({ bytes, done });
    });
  }

  destroy() {
    for (const socket of this.all) socket.destroy();
  }

  private connect(): Connection {
    const socket = net.connect({ port: this.port, host: this.host, noDelay: true });
    this.all.add(socket);
    const connection = new Connection(socket, (c) => this.released(c));
    socket.on("close", () => {
      this.all.delete(socket);
      this.idle = this.idle.filter((c) => c !== connection);
      connection.fail(new Error("connection closed"));
      const next = this.waiting.shift();
      if (next) this.connect().send(next.bytes, next.done);
    });
    return connection;
  }

  private released(connection: Connection) {
    const next = this.waiting.shift();
    if (next) connection.send(next.bytes, next.done);
    else this.idle.push(connection);
  }
}

class Connection {
  private reader = new ResponseReader();
  private pending: ((status: number | Error) => void) | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly release: (c: Connection) => void,
  ) {
    socket.on("data", (data: Buffer) => {
      let status: number | undefined;
      try {
        status = this.reader.feed(data);
      } catch (error) {
        this.fail(error as Error);
        socket.destroy();
        return;
      }
      if (status === undefined) return;
      const done = this.pending;
      this.pending = undefined;
      done?.(status);
      this.release(this);
    });
    socket.on("error", (error) => this.fail(error));
  }

  send(bytes: Buffer, done: (status: number | Error) => void) {
    this.pending = done;
    this.socket.write(bytes);
  }

  fail(error: Error) {
    const done = this.pending;
    this.pending = undefined;
    done?.(error);
  }
}
