"use client";

import { IfMayChange } from "@/app/_components/role-scope";
import { useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { FieldErrorText } from "@/app/_components/ui/field";
import { tryOrder } from "./route-example";
import { RouteFields } from "./route-fields";
import { NEW_ROUTE, type RouteRow } from "./routing-form";

interface KeyedRoute extends RouteRow {
  key: number;
}

/**
 * The site's routes in the order the user gives. Each route's inputs are named by its place
 * (routes.0...), so moving one renames its inputs and the server reads the list in the order shown.
 */
export function RoutesEditor({ initial, errors }: { initial: RouteRow[]; errors: Record<string, string[]> }) {
  const nextKey = useRef(initial.length);
  const [routes, setRoutes] = useState<KeyedRoute[]>(() => initial.map((route, key) => ({ ...route, key })));
  // Errors name routes by place: once one is added, moved or removed they may point at the wrong one.
  const [shownErrors, setShownErrors] = useState(errors);
  const [moved, setMoved] = useState(false);
  if (errors !== shownErrors) {
    setShownErrors(errors);
    setMoved(false);
  }
  const routeErrors = moved ? {} : errors;
  const listRef = useRef<HTMLDivElement>(null);
  const order = tryOrder(routes);

  /** Adding, moving or removing a route (or a header match) types nothing, so tell the form it has unsaved edits. */
  const markEdited = () => listRef.current?.dispatchEvent(new Event("input", { bubbles: true }));
  const reshape = (change: (current: KeyedRoute[]) => KeyedRoute[]) => {
    setRoutes(change);
    setMoved(true);
    markEdited();
  };

  const move = (from: number, by: -1 | 1) => {
    const to = from + by;
    reshape((current) => {
      const next = [...current];
      const [route] = next.splice(from, 1);
      if (route) next.splice(to, 0, route);
      return next;
    });
    // At the top or bottom, the button pressed is disabled and would drop the focus: keep it on the route.
    requestAnimationFrame(() => {
      const same = document.getElementById(`site-route-${to}-${by < 0 ? "up" : "down"}`);
      const other = document.getElementById(`site-route-${to}-${by < 0 ? "down" : "up"}`);
      (same instanceof HTMLButtonElement && !same.disabled ? same : other)?.focus();
    });
  };

  return (
    <div ref={listRef} className="space-y-4" data-testid="routes">
      {routes.length === 0 ? <p className="text-sm text-slate-500">No routes: every request goes to the site's upstream servers.</p> : null}
      {routes.map((route, index) => (
        <RouteFields
          key={route.key}
          route={route}
          index={index}
          count={routes.length}
          order={order[index] ?? null}
          errors={routeErrors}
          onChange={(change) => {
            setRoutes((current) => current.map((other) => (other.key === route.key ? { ...other, ...change } : other)));
            markEdited();
          }}
          onMove={(by) => move(index, by)}
          onRemove={() => reshape((current) => current.filter((other) => other.key !== route.key))}
        />
      ))}
      <FieldErrorText id="site-routes" error={errors.routes} />
      <IfMayChange>
        <Button variant="secondary" size="sm" onClick={() => reshape((current) => [...current, { ...NEW_ROUTE, key: nextKey.current++ }])}>
          Add route
        </Button>
      </IfMayChange>
    </div>
  );
}
