import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Who is making the changes of the request being served, for the history: set once where the
 * request is authenticated (the API's route wrapper, a server action's requireUser), read where a
 * change is recorded, so services need no extra parameter.
 */
const actor = new AsyncLocalStorage<{ who: string }>();

export const SYSTEM_ACTOR = "system";

export function actingAs<T>(who: string, work: () => T): T {
  return actor.run({ who }, work);
}

/**
 * For a server action: the rest of this action acts as the person `settle` is later given. Call it
 * before the first await of the code that finds out who that is: only a store entered in the
 * caller's own synchronous part reaches the caller's code after its await (a store entered after
 * an await stays inside the callee, and the change would be recorded as "system").
 */
export function beginActing(): (who: string) => void {
  const holder = { who: SYSTEM_ACTOR };
  actor.enterWith(holder);
  return (who) => {
    holder.who = who;
  };
}

export function currentActor(): string {
  return actor.getStore()?.who ?? SYSTEM_ACTOR;
}
