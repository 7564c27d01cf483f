import { startPrimary } from "./primary/start-primary";

// The proxy on its own (the launcher runs the primary in its own process instead). Workers are
// forked with proxy/worker.ts as their entry (see WorkerPool); this file is the primary.
const primary = await startPrimary((code) => process.exit(code));
const stop = () => void primary.stop().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
