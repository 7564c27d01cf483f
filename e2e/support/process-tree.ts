import { spawnSync } from "node:child_process";

export interface TreeProcess {
  pid: number;
  /** The command line, as `ps` shows it. */
  args: string;
}

/** A process and all its descendants, as `ps` lists them now. */
export function processTree(pid: number): TreeProcess[] {
  const args = ps(["-o", "args=", "-p", String(pid)]).trim();
  const children = ps(["-o", "pid=", "--ppid", String(pid)])
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map(Number);
  return [{ pid, args }, ...children.flatMap(processTree)];
}

/** ps's output; empty when nothing matched (ps then exits with 1). */
function ps(args: string[]): string {
  return spawnSync("ps", args, { encoding: "utf8" }).stdout;
}
