/**
 * The numbers and texts of an error's details, for its hint to name (e.g. PIN_LOCKED's minutes);
 * nothing else of them (the details of a validation error are its issues).
 */
export function hintValues(details: unknown): Record<string, string | number> {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return {};
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details))
    if (typeof v === 'number' || typeof v === 'string') out[k] = v;
  return out;
}
