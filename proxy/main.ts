import { startPrimary } from "./primary/start-primary";

// Workers are forked with proxy/worker.ts as their entry (see WorkerPool); this file is the primary.
await startPrimary();
