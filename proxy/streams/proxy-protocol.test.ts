import { describe, expect, it } from "vitest";
import { proxyV2Header } from "./proxy-protocol";

const SIGNATURE = "0d0a0d0a000d0a515549540a";

describe("proxyV2Header", () => {
  it("writes the short IPv4 form: family, length, addresses, ports", () => {
    const header = proxyV2Header({ address: "192.0.2.10", port: 50_000 }, { address: "127.0.0.1", port: 443 }, "tcp");
    expect(header.toString("hex")).toBe(`${SIGNATURE}2111000c` + "c000020a" + "7f000001" + "c350" + "01bb");
  });

  it("takes an IPv4-mapped client on a dual-stack socket as IPv4", () => {
    const header = proxyV2Header({ address: "::ffff:10.1.2.3", port: 1 }, { address: "::ffff:127.0.0.1", port: 2 }, "udp");
    expect(header.subarray(12, 16).toString("hex")).toBe("2112000c");
    expect(header.subarray(16, 20).toString("hex")).toBe("0a010203");
  });

  it("writes IPv6 ends in full, and an IPv4 end beside an IPv6 one as ::ffff:a.b.c.d", () => {
    const header = proxyV2Header({ address: "2001:db8::1", port: 8080 }, { address: "127.0.0.1", port: 443 }, "tcp");
    expect(header.subarray(12, 16).toString("hex")).toBe("21210024");
    expect(header.subarray(16, 32).toString("hex")).toBe("20010db8000000000000000000000001");
    expect(header.subarray(32, 48).toString("hex")).toBe("00000000000000000000ffff7f000001");
    expect(header.subarray(48).toString("hex")).toBe("1f9001bb");
    expect(header).toHaveLength(16 + 36);
  });

  it("writes ::1 and fully written addresses", () => {
    const header = proxyV2Header({ address: "::1", port: 1 }, { address: "fe80:0:0:0:1:2:3:4", port: 2 }, "tcp");
    expect(header.subarray(16, 32).toString("hex")).toBe("00000000000000000000000000000001");
    expect(header.subarray(32, 48).toString("hex")).toBe("fe800000000000000001000200030004");
  });

  it("says LOCAL when an end has no IP address", () => {
    expect(proxyV2Header({ address: "", port: 0 }, { address: "127.0.0.1", port: 1 }, "tcp").toString("hex")).toBe(`${SIGNATURE}20000000`);
  });
});
