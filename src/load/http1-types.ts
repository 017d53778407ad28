/** What the generator's HTTP/1.1 response parser (http1-response.ts) delivers, and how it fails. */
export interface ResponseHead {
  status: number;
  /** `x-gateway-version`, '' when absent. */
  version: string;
  /** `x-served-by`, '' when absent. */
  replica: string;
  /** The connection may carry another request after this response. */
  keepAlive: boolean;
  /** The server's advertised idle timeout (`keep-alive: timeout=N`), ms; null when not advertised. */
  keepAliveMs: number | null;
}

/** Where the parser delivers a response. */
export interface ResponseSink {
  onHead(head: ResponseHead): void;
  /** Body bytes, de-chunked: a view into the connection's read buffer, reused for the next read: copy to keep. */
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

/** A response that is not HTTP/1.x as we read it: the connection cannot be trusted any more. */
export class ResponseParseError extends Error {
  readonly code = 'UPCERT_HTTP_PARSE';
}
