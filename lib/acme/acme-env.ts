/** The environment as the ACME code reads it: process.env, or a plain object in tests. */
export type AcmeEnv = Readonly<Record<string, string | undefined>>;
