// React's server HTML in one chunk per event-loop turn (used by app/entry.server.tsx).
import { Transform, type TransformCallback } from "node:stream";

/** Bytes after which the buffered HTML goes on at once rather than at the end of the turn. */
export const COALESCE_BYTES = 64 * 1024;

/**
 * Passes React's HTML on in one chunk per event-loop turn instead of its 2 KB pieces (ADR 041,
 * addendum of 30 November, evening). React writes a page's whole shell synchronously, 2 KB at a
 * time; each piece then went separately through the Node stream, the web stream Remix reads, the
 * adapter and a socket write (about 70 for /insights' 140 KB). The bytes and their order are unchanged;
 * they leave at most one turn later (or at once past 64 KB), and what React streams later (the
 * hydration data) still goes as it comes.
 */
export class CoalescingStream extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;
  private pending: NodeJS.Immediate | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= COALESCE_BYTES) this.release();
    else this.pending ??= setImmediate(() => this.release());
    callback();
  }

  override _flush(callback: TransformCallback) {
    this.release();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    this.chunks = [];
    callback(error);
  }

  private release() {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    if (!this.size) return;
    const chunk = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.push(chunk);
  }
}
