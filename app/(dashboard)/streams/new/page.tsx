import type { Metadata } from "next";
import Link from "next/link";
import { listAccessListOptions } from "@/lib/services/site-security-options";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { saveStream } from "../actions";
import { NEW_STREAM } from "../form-values";
import { StreamForm } from "../stream-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Add stream" };

export default async function NewStreamPage() {
  await requireUser();
  const accessLists = await listAccessListOptions();
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/streams" className="hover:text-slate-700">
            ← Streams
          </Link>
        }
        title="Add a stream"
        description="Choose a port on the proxy and the servers its connections go to. It starts listening within seconds."
      />
      <StreamForm
        action={saveStream.bind(null, null)}
        initial={NEW_STREAM}
        accessLists={accessLists}
        submitLabel="Add stream"
        cancelHref="/streams"
      />
    </>
  );
}
