// i18next with both languages bundled; Russian first, the choice kept per workstation.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { ru } from './ru.ts';

const LANGUAGE_KEY = 'pos.language';

/** The language chosen last on this workstation, Russian by default. */
export function savedLanguage(): 'ru' | 'en' {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'ru';
}

/** Switches the interface language and remembers it. */
export async function switchLanguage(language: 'ru' | 'en'): Promise<void> {
  localStorage.setItem(LANGUAGE_KEY, language);
  await i18next.changeLanguage(language);
}

/** Initialises i18next once, before the first render. */
export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: savedLanguage(),
    fallbackLng: 'ru',
    resources: { ru: { translation: ru }, en: { translation: en } },
    interpolation: { escapeValue: false },
  });
}
