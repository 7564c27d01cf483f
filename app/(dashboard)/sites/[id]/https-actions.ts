"use server";

import { revalidatePath } from "next/cache";
import { preflightHostnames } from "@/lib/services/preflight";
import { createCertificate } from "@/lib/services/certificates";
import { getSite, updateSite } from "@/lib/services/sites";
import { checked, stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import type { PreflightState } from "./https-state";

const ORDER_FIELDS = ["challenge", "dnsProviderId", "email", "staging", "switchSite", "forceHttps"] as const;

/** Asks the proxy whether each of the site's names resolves here and reaches its challenge path. */
export async function checkHostnames(siteId: string, _previous: PreflightState, _formData: FormData): Promise<PreflightState> {
  await requireRole("operator");
  try {
    const site = await getSite(siteId);
    const hostnames = site.hostnames.filter((hostname) => !hostname.startsWith("*."));
    const results = await preflightHostnames(hostnames);
    return { status: "success", results, nonce: Date.now() };
  } catch (error) {
    return { ...stateFromError(error, [], {}, "The check could not run. You can still order."), nonce: Date.now() };
  }
}

/**
 * Orders a certificate for all of the site's names, over HTTP-01 or through a DNS provider (the
 * only way for a wildcard); the proxy runs the order in the background.
 */
export async function orderCertificate(siteId: string, previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    const site = await getSite(siteId);
    const email = text(formData, "email").trim();
    const switchSite = checked(formData, "switchSite");
    const challenge = text(formData, "challenge") || "http-01";
    const dnsProviderId = text(formData, "dnsProviderId");
    await createCertificate({
      type: "acme",
      domains: site.hostnames,
      challenge,
      ...(challenge === "dns-01" && dnsProviderId ? { dnsProviderId } : {}),
      ...(email ? { email } : {}),
      staging: checked(formData, "staging"),
      ...(switchSite ? { siteId, forceHttps: checked(formData, "forceHttps") } : {}),
    });
  } catch (error) {
    return { ...stateFromError(error, ORDER_FIELDS), nonce: previous.nonce };
  }
  revalidatePath("/", "layout");
  return success("Order placed.");
}

/** Switches the site to a certificate that was issued for it without the automatic switch. */
export async function switchSiteCertificate(siteId: string, certificateId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    await updateSite(siteId, { certificateId });
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/", "layout");
  return success("The site now uses the certificate.");
}
