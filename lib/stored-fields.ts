/**
 * The one way stored settings are read back. A stored value may be partial (an older version),
 * hand-edited, or written by a newer version: each known field is taken when its reader accepts
 * it and falls back to its default otherwise, and fields this version does not know are kept, so
 * a value a newer version wrote loses nothing when this one saves it again.
 */
import type * as z from 'zod/mini';

/** Reads one field: the value to keep, or undefined to fall back to the default. */
export type FieldReader<T> = (value: unknown) => T | undefined;

export function normalizeFields<T extends object>(
  raw: unknown,
  defaults: T,
  readers: { [K in keyof T]: FieldReader<T[K]> },
): T {
  const out: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw } : {};
  for (const key of Object.keys(defaults) as (keyof T & string)[]) out[key] = readers[key](out[key]) ?? defaults[key];
  return out as T;
}

/** A reader that accepts what `schema` accepts. */
export function schemaField<T>(schema: z.ZodMiniType<T>): FieldReader<T> {
  return (value) => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
}
