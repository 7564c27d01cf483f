/**
 * The test behind a status filter: "404" matches that status, "4xx" the class, "0" requests that
 * got no answer; no filter matches everything. The value is already validated by the schema.
 */
export function statusMatcher(status: string | undefined): (value: number) => boolean {
  if (status === undefined) return () => true;
  if (status.endsWith("xx")) {
    const statusClass = Number(status[0]);
    return (value) => Math.floor(value / 100) === statusClass;
  }
  const exact = Number(status);
  return (value) => value === exact;
}
