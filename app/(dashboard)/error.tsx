"use client";

import { Alert } from "../_components/ui/alert";
import { Button } from "../_components/ui/button";

export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String(error.digest) : null;
  return (
    <div className="mx-auto max-w-xl py-12">
      <Alert tone="error" title="This page could not be loaded">
        <p>Something went wrong on the server. Your saved settings are safe, and the proxy keeps serving traffic.</p>
        {digest ? <p className="text-xs text-red-700/80">Reference: {digest}</p> : null}
      </Alert>
      <Button variant="secondary" className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </div>
  );
}
