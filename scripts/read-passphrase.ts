import { createInterface } from "node:readline/promises";

/**
 * The backup passphrase: GATEKEEPER_BACKUP_PASSPHRASE (for scripts and cron), or typed at the
 * terminal without being shown.
 */
export async function readPassphrase(prompt: string): Promise<string> {
  const fromEnv = process.env.GATEKEEPER_BACKUP_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new Error("Set GATEKEEPER_BACKUP_PASSPHRASE, or run this in a terminal to type the passphrase.");
  }
  const terminal = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing of what is typed.
  (terminal as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
  process.stdout.write(prompt);
  try {
    return await terminal.question("");
  } finally {
    terminal.close();
    process.stdout.write("\n");
  }
}
