import type { Metadata } from "next";
import { PageHeader } from "@/app/_components/page-header";
import { requireUser } from "@/app/_lib/session";
import { ExplainForm } from "./explain-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Explain a request" };

export default async function ExplainPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="Explain a request"
        description="Why does an address answer 404, or go to the wrong server? Paste it here: the proxy says which site and route take it, what each protection decides, and where it goes, without sending anything."
      />
      <ExplainForm />
    </>
  );
}
