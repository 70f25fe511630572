// JSON columns hold what this core wrote itself (already validated on the way in), so reading
// them back is a typed parse rather than a second validation.

/** Parses a JSON column written by this core. */
export const fromJson = <T>(text: string): T => JSON.parse(text) as T;

/** Serialises a value for a JSON column. */
export const toJson = (value: unknown): string => JSON.stringify(value);
