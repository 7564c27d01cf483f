"use client";

import { IfMayChange } from "@/app/_components/role-scope";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { describedBy, FieldErrorText } from "@/app/_components/ui/field";
import { Input } from "@/app/_components/ui/input";
import { userFieldName, type UserRowValues } from "./form-values";

/**
 * The basic-auth users as rows of username + password. Each row posts a hidden `userKey`, so an
 * error comes back to the row it belongs to even after rows above it were removed. Passwords are
 * never filled in: for a saved user an empty field keeps the stored password.
 */
export function UserRows({
  initial,
  errors,
  onUsernamesChange,
}: {
  initial: UserRowValues[];
  errors: Record<string, string[]>;
  /** The usernames as typed, for the live description of the rules. */
  onUsernamesChange: (usernames: string[]) => void;
}) {
  const [rows, setRows] = useState(initial);
  const [nextKey, setNextKey] = useState(1);

  const update = (next: UserRowValues[]) => {
    setRows(next);
    onUsernamesChange(next.map((row) => row.username));
  };

  return (
    <div className="space-y-3">
      {rows.length === 0 ? <p className="text-sm text-slate-500">No users: nobody is asked to log in.</p> : null}
      <ul className="space-y-3" aria-label="Users">
        {rows.map((row, index) => {
          const number = index + 1;
          const usernameId = `access-list-${userFieldName(row.key, "username")}`;
          const passwordId = `access-list-${userFieldName(row.key, "password")}`;
          const usernameError = errors[userFieldName(row.key, "username")];
          const passwordError = errors[userFieldName(row.key, "password")];
          const passwordHint = row.saved ? `${passwordId}-hint` : undefined;
          return (
            <li key={row.key} data-testid="user-row" className="grid items-start gap-2 sm:grid-cols-[1fr_1fr_auto]">
              <input type="hidden" name="userKey" value={row.key} />
              <div>
                <Input
                  id={usernameId}
                  name="username"
                  aria-label={`Username ${number}`}
                  placeholder="Username"
                  defaultValue={row.username}
                  autoComplete="off"
                  autoCapitalize="off"
                  spellCheck={false}
                  maxLength={100}
                  aria-invalid={usernameError ? true : undefined}
                  aria-describedby={describedBy(usernameId, undefined, usernameError)}
                  onChange={(event) => {
                    const username = event.currentTarget.value;
                    update(rows.map((other) => (other.key === row.key ? { ...other, username } : other)));
                  }}
                />
                <FieldErrorText id={usernameId} error={usernameError} />
              </div>
              <div>
                <Input
                  id={passwordId}
                  name="password"
                  type="password"
                  aria-label={`Password ${number}`}
                  placeholder={row.saved ? "Unchanged" : "Password (8 or more characters)"}
                  // Keeps the browser from filling in the dashboard's own password here.
                  autoComplete="new-password"
                  maxLength={200}
                  aria-invalid={passwordError ? true : undefined}
                  aria-describedby={[describedBy(passwordId, undefined, passwordError), passwordHint].filter(Boolean).join(" ") || undefined}
                />
                <FieldErrorText id={passwordId} error={passwordError} />
                {row.saved ? (
                  <p id={passwordHint} className="mt-1 text-xs text-slate-500">
                    Leave empty to keep the current password.
                  </p>
                ) : null}
              </div>
              <IfMayChange>
                <Button variant="ghost" aria-label={`Remove user ${number}`} onClick={() => update(rows.filter((other) => other.key !== row.key))}>
                  Remove
                </Button>
              </IfMayChange>
            </li>
          );
        })}
      </ul>
      <IfMayChange>
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            update([...rows, { key: `new-${nextKey}`, username: "", saved: false }]);
            setNextKey(nextKey + 1);
          }}
        >
          Add user
        </Button>
      </IfMayChange>
    </div>
  );
}
