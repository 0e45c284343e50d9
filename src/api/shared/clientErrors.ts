import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorBody, errorStyleFor, HttpError } from './errors';

const ANSWERS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request line and headers are too large (at most 16 KB); shorten the URL or the headers' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
};
const MALFORMED = { status: 400, message: 'Malformed HTTP request' };

/**
 * Requests Node's HTTP parser refuses before Express sees them (a URL or headers over
 * the 16 KB limit, a malformed request line) would get a bare status line with no body.
 * They get the family's error shape like any other 4xx: the path is read from the
 * request line the parser kept.
 */
export function answerClientErrorsInFamilyShape(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, message } = (err.code && ANSWERS[err.code]) || MALFORMED;
    const requestLine = err.rawPacket?.toString('latin1', 0, 4096) ?? '';
    const path = /^[A-Z]+ ([^ ?\r\n]*)/.exec(requestLine)?.[1] ?? '/';
    const body = JSON.stringify(errorBody(errorStyleFor(path), new HttpError(status, message)));
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
