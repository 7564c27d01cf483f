import pino from "pino";

/** One structured logger per process; LOG_LEVEL picks the level. */
export const logger = pino({ level: process.env.LOG_LEVEL ?? "info", base: { pid: process.pid } });

export const childLogger = (component: string) => logger.child({ component });
