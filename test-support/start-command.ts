import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** What `npm start` runs, without npm: Node's arguments from package.json's start script (its flags and scripts/start.mjs). */
export const START_ARGS: string[] = (
  JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } }
).scripts.start
  .split(" ")
  .slice(1)
  .map((arg) => (arg.startsWith("-") ? arg : path.join(root, arg)));
