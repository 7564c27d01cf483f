import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Who is making the changes of the request being served, for the history: set once where the
 * request is authenticated (the API's route wrapper, a server action's requireUser), read where a
 * change is recorded, so services need no extra parameter.
 */
const actor = new AsyncLocalStorage<string>();

export const SYSTEM_ACTOR = "system";

export function actingAs<T>(who: string, work: () => T): T {
  return actor.run(who, work);
}

/** For a server action: the rest of this action acts as `who`. */
export function actAs(who: string): void {
  actor.enterWith(who);
}

export function currentActor(): string {
  return actor.getStore() ?? SYSTEM_ACTOR;
}
