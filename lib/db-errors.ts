/** A write that a unique index refused (Prisma's P2002): two writers raced for one value. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
