import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { appStrings } from './app.i18n';
import { useAppStore, type Language } from './app-store';
import { routes } from './routes';

/** Sets html[lang] so the browser picks Simplified Chinese glyphs (and hyphenation) correctly. */
function applyDocumentLanguage(language: Language): void {
  document.documentElement.lang = language;
  document.title = i18n.t('productName', { ns: 'app' });
}

/**
 * i18next with one namespace per feature (from the route list) plus `app` for the shell and
 * shared components. zh-CN is the default; English is the fallback for nothing, so a missing
 * key shows up as a key, not as the other language.
 */
export function initI18n(): typeof i18n {
  const language = useAppStore.getState().language;
  const resources: Record<Language, Record<string, object>> = { 'zh-CN': {}, en: {} };
  resources['zh-CN'].app = appStrings['zh-CN'];
  resources.en.app = appStrings.en;
  for (const route of routes) {
    resources['zh-CN'][route.ns] = route.strings['zh-CN'];
    resources.en[route.ns] = route.strings.en;
  }
  void i18n.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: false,
    supportedLngs: ['zh-CN', 'en'],
    defaultNS: 'app',
    ns: ['app', ...routes.map((r) => r.ns)],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  applyDocumentLanguage(language);
  useAppStore.subscribe((s, prev) => {
    if (s.language === prev.language) return;
    void i18n.changeLanguage(s.language).then(() => applyDocumentLanguage(s.language));
  });
  return i18n;
}
