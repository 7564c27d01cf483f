import type { Ref, SelectHTMLAttributes } from "react";
import { cn } from "@/app/_lib/cn";
import { controlClasses } from "./input";

export function Select({ className, ref, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return <select ref={ref} className={cn(controlClasses, "h-10 pr-8", className)} {...props} />;
}
