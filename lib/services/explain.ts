import { askProxy } from "../config/control-client";
import { validationError } from "../errors";
import { explainRequestSchema, type Explanation } from "../schemas/explain";

/** What the running proxy would do with this request: its workers decide, with what they serve now. */
export async function explainRequest(input: unknown): Promise<Explanation> {
  const parsed = explainRequestSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return askProxy<Explanation>("/explain", parsed.data, 10_000);
}
