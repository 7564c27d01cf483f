// Must stay the first import: @peculiar/x509 checks for Reflect metadata while it loads.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto } from "node:crypto";

// One place sets the provider so every generator call signs with node's own WebCrypto.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
