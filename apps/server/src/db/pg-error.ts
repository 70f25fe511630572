// Recognises PostgreSQL constraint failures by SQLSTATE and constraint name, so a race that slips
// past a pre-check still ends as a 409, not a 500.

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

function violates(error: unknown, sqlState: string, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === sqlState && name === constraint;
}

/** True when `error` is a unique violation of `constraint`. */
export const isUniqueViolation = (error: unknown, constraint: string): boolean =>
  violates(error, UNIQUE_VIOLATION, constraint);

/** True when `error` is a foreign-key violation of `constraint`. */
export const isForeignKeyViolation = (error: unknown, constraint: string): boolean =>
  violates(error, FOREIGN_KEY_VIOLATION, constraint);
