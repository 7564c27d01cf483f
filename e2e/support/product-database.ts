import type { RunningProduct } from "./product";

/**
 * The running product's database, opened from the test process (to move a date or a stored error
 * as time or a later failure would). Spec files share one process: a client an earlier spec opened
 * on its own product's database is closed first, or this would write to that one.
 */
export async function productDatabase(product: RunningProduct) {
  const { closeDb, db } = await import("../../lib/db");
  if (process.env.DATA_DIR !== product.dataDir) {
    await closeDb();
    process.env.DATA_DIR = product.dataDir;
  }
  return db();
}
