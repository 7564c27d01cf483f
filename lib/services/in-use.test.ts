import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useTempDatabase } from "@/test-support/database";
import { db } from "../db";
import { AppError } from "../errors";
import { createAccessList, deleteAccessList } from "./access-lists";
import { createCertificate, deleteCertificate } from "./certificates";
import { inUseMessage } from "./in-use";

let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ cleanup } = await useTempDatabase());
  process.env.PROXY_CONTROL_PORT = "1"; // nothing listens: notifications are fire-and-forget
});
afterEach(() => cleanup());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Sites written directly, oldest first: the refusal names them in that order. */
async function sites(data: { certificateId?: string; accessListId?: string }) {
  const made = [];
  for (const name of ["Shop", "Blog"]) {
    made.push(
      await db().site.create({
        data: {
          name,
          ...data,
          createdAt: new Date(Date.now() + made.length * 1000),
          hostnames: { create: [{ hostname: `${name.toLowerCase()}.example.com`, position: 0 }] },
          upstreams: { create: [{ url: "http://127.0.0.1:8080", position: 0 }] },
        },
      }),
    );
  }
  return made;
}

describe("in-use objects", () => {
  it("says which sites use it and what to do, in one sentence", () => {
    expect(inUseMessage("certificate", ["Shop", "Blog"])).toBe('This certificate is used by "Shop", "Blog": choose another certificate there first');
    expect(inUseMessage("accessList", ["Shop"])).toBe('This access list is used by "Shop": choose another access list (or none) there first');
    expect(inUseMessage("accessList", ["Shop"], ["Postgres"])).toBe(
      'This access list is used by "Shop", the stream "Postgres": choose another access list (or none) there first',
    );
  });

  it("refuses to delete a certificate in use with that sentence, and keeps it", async () => {
    const { certificate } = await createCertificate({ type: "self-signed", domains: ["shop.example.com"] });
    const [shop, blog] = await sites({ certificateId: certificate.id });
    const refused = await rejection(deleteCertificate(certificate.id));
    expect(refused).toMatchObject({ code: "conflict", message: inUseMessage("certificate", ["Shop", "Blog"]) });
    expect(refused.details).toEqual({ siteIds: `${shop!.id},${blog!.id}` });
    expect(await db().certificate.count()).toBe(1);
  });

  it("refuses to delete an access list in use with that sentence, and keeps it", async () => {
    const list = await createAccessList({ name: "Office", allow: ["10.0.0.0/8"], deny: [], basicAuth: [], satisfy: "any" });
    await sites({ accessListId: list.id });
    const refused = await rejection(deleteAccessList(list.id));
    expect(refused).toMatchObject({ code: "conflict", message: inUseMessage("accessList", ["Shop", "Blog"]) });
    expect(await db().accessList.count()).toBe(1);
  });
});
