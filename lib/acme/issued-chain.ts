import { parsePem, toPem } from "../certs/pem";

export interface SplitChain {
  /** The leaf: the certificate for the site's names. */
  certificatePem: string;
  /** The intermediates the CA sent after it, in its order ("" when none). */
  chainPem: string;
}

/** Splits the full chain an ACME server returns (leaf first, then intermediates) into leaf and chain. */
export function splitIssuedChain(fullChainPem: string): SplitChain {
  const parsed = parsePem(fullChainPem);
  const blocks = parsed.kind === "pem" ? parsed.blocks.filter((block) => block.kind === "certificate") : [];
  const [leaf, ...intermediates] = blocks;
  if (!leaf) throw new Error("The CA's answer holds no certificate");
  return {
    certificatePem: toPem("CERTIFICATE", leaf.der),
    chainPem: intermediates.map((block) => toPem("CERTIFICATE", block.der)).join(""),
  };
}
