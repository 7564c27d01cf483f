"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { AppError } from "@/lib/errors";
import { createCertificate, deleteCertificate, getCertificate, requestRenewal } from "@/lib/services/certificates";
import { failure, splitLines, stateFromError, success, text, type FormState, type LineMap } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import type { CertificateFormState } from "./form-state";

const UPLOAD_FIELDS = ["name", "certificatePem", "privateKeyPem", "chainPem"] as const;
const SELF_SIGNED_FIELDS = ["name", "domains"] as const;

async function create(
  input: Record<string, unknown>,
  fields: readonly string[],
  lines: LineMap,
  previous: CertificateFormState,
  done: string,
): Promise<CertificateFormState> {
  try {
    const { certificate, warnings } = await createCertificate(input);
    revalidatePath("/", "layout");
    return {
      ...success(done),
      created: { id: certificate.id, name: certificate.name, domains: certificate.domains, daysLeft: certificate.daysLeft },
      warnings,
    };
  } catch (error) {
    // Keep the nonce: the form clears its fields only after a success, never after an error.
    return { ...stateFromError(error, fields, lines), nonce: previous.nonce };
  }
}

export async function uploadCertificate(previous: CertificateFormState, formData: FormData): Promise<CertificateFormState> {
  await requireRole("operator");
  const name = text(formData, "name").trim();
  const chainPem = text(formData, "chainPem");
  const input = {
    type: "upload",
    ...(name ? { name } : {}),
    certificatePem: text(formData, "certificatePem"),
    privateKeyPem: text(formData, "privateKeyPem"),
    ...(chainPem.trim() ? { chainPem } : {}),
  };
  return create(input, UPLOAD_FIELDS, {}, previous, "Certificate uploaded.");
}

export async function generateCertificate(previous: CertificateFormState, formData: FormData): Promise<CertificateFormState> {
  await requireRole("operator");
  const name = text(formData, "name").trim();
  const domains = splitLines(text(formData, "domains"), { kind: "names" });
  const input = { type: "self-signed", ...(name ? { name } : {}), domains: domains.items };
  return create(input, SELF_SIGNED_FIELDS, { domains: domains.lines }, previous, "Self-signed certificate generated.");
}

export async function removeCertificate(certificateId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    await deleteCertificate(certificateId);
  } catch (error) {
    // A certificate in use is refused with 409: its message names the sites (details hold only their ids).
    if (error instanceof AppError) return failure(error.message);
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success("Certificate deleted.");
}

/** "Renew now" (or "Try again now" for an order that failed): the proxy picks it up within seconds. */
export async function renewCertificate(certificateId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    await requestRenewal(certificateId);
  } catch (error) {
    if (error instanceof AppError) return failure(error.message);
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success("Renewal queued.");
}

/** Delete from the certificate's own page, then go back to the list (which says what happened). */
export async function removeCertificateAndLeave(certificateId: string, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  let name = "";
  try {
    name = (await getCertificate(certificateId)).name;
  } catch (error) {
    return stateFromError(error, []);
  }
  const result = await removeCertificate(certificateId, previous, formData);
  if (result.status === "error") return result;
  redirect(`/certificates?deleted=${encodeURIComponent(name)}`);
}
