// `npm start`: builds what changed since the last build (nothing, usually), then runs the compiled
// launcher in this same process. Plain JavaScript, so nothing compiles TypeScript at run time.
import { ensureBuilt } from "./build.mjs";

try {
  await ensureBuilt();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
await import("../dist/launcher.js");
