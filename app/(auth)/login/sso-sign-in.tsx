import { buttonClasses } from "@/app/_components/ui/button";
import { Alert } from "@/app/_components/ui/alert";

/**
 * Under the password form: "Sign in with …" while single sign-on is on, and why the last single
 * sign-on did not work. A plain link: the sign-in is a trip through the provider's pages.
 */
export function SsoSignIn({ name, error }: { name: string | null; error: string | null }) {
  if (name === null && error === null) return null;
  return (
    <div className="mt-6 space-y-4">
      {error ? (
        <Alert tone="error" testId="sso-error">
          {error}
        </Alert>
      ) : null}
      {name !== null ? (
        <>
          <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          <a href="/api/auth/oidc/login" className={buttonClasses("secondary", "md", "w-full")} data-testid="sso-sign-in">
            Sign in with {name}
          </a>
        </>
      ) : null}
    </div>
  );
}
