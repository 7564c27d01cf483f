import type { Ref, TextareaHTMLAttributes } from "react";
import { cn } from "@/app/_lib/cn";
import { controlClasses } from "./input";

export function Textarea({
  className,
  ref,
  mono,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement>; mono?: boolean }) {
  return (
    <textarea
      ref={ref}
      spellCheck={false}
      className={cn(controlClasses, "py-2 leading-relaxed", mono && "font-mono text-[13px]", className)}
      {...props}
    />
  );
}
