/** A positive integer of milliseconds from the environment (tests shorten them), or the default. */
export function intervalFromEnv(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
