import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeanPool, ResponseReader, serializeRequest } from "@/scripts/bench/lib/lean-http";

describe("the paced benchmark's HTTP client", () => {
  it("writes a request as one buffer with Host and Content-Length", () => {
    const bytes = serializeRequest("127.0.0.1:3400", { method: "POST", path: "/a?b=1", headers: { cookie: "s=1" }, body: '{"q":"é"}' });
    expect(bytes.toString()).toBe('POST /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:3400\r\ncookie: s=1\r\ncontent-length: 10\r\n\r\n{"q":"é"}');
  });

  it("finds the end of a response however its bytes are split", () => {
    const chunked = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
    const sized = "HTTP/1.1 409 Conflict\r\nContent-Length: 5\r\n\r\nhello";
    for (const response of [chunked, sized]) {
      for (let cut = 1; cut < response.length; cut++) {
        const reader = new ResponseReader();
        expect(reader.feed(Buffer.from(response.slice(0, cut)))).toBeUndefined();
        expect(reader.feed(Buffer.from(response.slice(cut)))).toBe(response === chunked ? 201 : 409);
      }
    }
    expect(new ResponseReader().feed(Buffer.from("HTTP/1.1 204 No Content\r\n\r\n"))).toBe(204);
    expect(() => new ResponseReader().feed(Buffer.from("SSH-2.0-OpenSSH\r\n\r\n"))).toThrow(/not an HTTP response/);
  });

  describe("against a node:http server", () => {
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => {
          // Alternate chunked and sized answers, and echo the body's length in the status.
          if (req.url === "/sized") res.setHeader("content-length", Buffer.byteLength(body));
          res.writeHead(200 + body.length);
          res.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));

    it("answers every request, queueing those beyond its connections", async () => {
      const pool = new LeanPool(port, "127.0.0.1", 3);
      try {
        const statuses = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            pool.send(serializeRequest(`127.0.0.1:${port}`, { method: "POST", path: i % 2 ? "/sized" : "/chunked", body: "x".repeat(i % 7) })),
          ),
        );
        expect(statuses).toEqual(Array.from({ length: 40 }, (_, i) => 200 + (i % 7)));
      } finally {
        pool.destroy();
      }
    });

    it("reports a request whose connection fails as an error, not a status", async () => {
      const pool = new LeanPool(1, "127.0.0.1", 1); // nothing listens on port 1
      const result = await pool.send(serializeRequest("127.0.0.1:1", { method: "GET", path: "/" }));
      expect(result).toBeInstanceOf(Error);
      pool.destroy();
    });
  });
});
