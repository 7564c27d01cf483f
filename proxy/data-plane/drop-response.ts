import { constants, type ServerHttp2Stream } from "node:http2";
import type { ServerResponse } from "node:http";

/**
 * Leaves a request without any answer (nginx's 444). An HTTP/2 stream is reset on its own: the
 * connection carries other requests, and may carry the client's other sites. An HTTP/1.1
 * connection is closed, as nothing else could tell the client there is no answer.
 */
export function dropResponse(res: ServerResponse): void {
  const stream = (res as { stream?: ServerHttp2Stream }).stream;
  if (stream !== undefined) stream.close(constants.NGHTTP2_CANCEL);
  else res.socket?.destroy();
}
