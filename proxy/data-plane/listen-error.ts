/** A port could not be bound; `code` is the system error code (EACCES, EADDRINUSE, ...). */
export class ListenError extends Error {
  constructor(
    readonly port: number,
    readonly code: string,
    cause: unknown,
  ) {
    super(`Cannot listen on port ${port}: ${code}`, { cause });
    this.name = "ListenError";
  }
}
