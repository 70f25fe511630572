// Formatters for the current interface language.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formattersFor, type Formatters } from '#renderer/format/formatters.ts';

/** Number formatting in the interface language. */
export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  return useMemo(() => formattersFor(i18n.language), [i18n.language]);
}
