import { z } from "zod";
import { defineDnsProvider } from "../dns-provider";

/**
 * The user creates the TXT record by hand at their DNS host: the order shows the name and value and
 * waits until the zone's authoritative servers answer with it, so there is nothing to call here.
 */
export const manual = defineDnsProvider({
  type: "manual",
  label: "Manual (I create the TXT record myself)",
  settings: z.object({}),
  credentials: z.object({}),
  labels: { settings: {}, credentials: {} },
  connect() {
    return {
      async createTxt() {},
      async deleteTxt() {},
    };
  },
});
