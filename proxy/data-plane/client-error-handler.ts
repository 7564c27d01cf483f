import type { Duplex } from "node:stream";
import type { Logger } from "pino";
import { writeRawErrorResponse } from "./error-pages";

function errorCode(error: Error): string | undefined {
  return "code" in error && typeof error.code === "string" ? error.code : undefined;
}

/** True while a response is being written on this socket: raw bytes would corrupt it. */
function responseInProgress(socket: Duplex): boolean {
  const message: unknown = Reflect.get(socket, "_httpMessage");
  return typeof message === "object" && message !== null && Reflect.get(message, "headersSent") === true;
}

/**
 * Malformed or too-slow requests: answer with a bare status where that is still possible and
 * close. Once a 'clientError' listener exists, Node leaves the socket to us, so it must always
 * end up closed.
 */
export function createClientErrorHandler(logger: Logger): (error: Error, socket: Duplex) => void {
  return (error, socket) => {
    const code = errorCode(error);
    logger.debug({ code, err: error.message }, "client error");
    if (code === "ECONNRESET" || !socket.writable || responseInProgress(socket)) {
      socket.destroy();
      return;
    }
    const status = code === "HPE_HEADER_OVERFLOW" ? 431 : code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    writeRawErrorResponse(socket, status);
  };
}
