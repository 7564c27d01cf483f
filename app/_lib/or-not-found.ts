import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";

/** A service lookup for a page: an unknown id renders the 404 page instead of an error. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
