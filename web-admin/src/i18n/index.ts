// i18next with zh-CN first and en second (STYLE.md rule 8). The chosen
// language is kept in localStorage and sent to the server as
// Accept-Language (src/client.ts), so server messages match the UI.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './zh-CN';
import en, { type Same } from './en';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
const storageKey = 'mashang.language';

function initialLanguage(): Language {
  const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(storageKey);
  return saved === 'en' ? 'en' : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(lang: Language) {
  localStorage.setItem(storageKey, lang);
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** The label of an enum value: enumLabel('SiteCategory', 'MEDICAL_INSTITUTION') → 医疗机构. */
export function enumLabel(enumName: keyof typeof zhCN.enum, value: string | null | undefined): string {
  if (!value) return '';
  return i18n.t(`enum.${enumName}.${value}`, { defaultValue: value });
}

/**
 * A page's own texts, under its own key (`accounts.title`…), kept next to
 * the page (src/pages/<page>/locale.ts) and loaded with its lazy chunk;
 * English must have the same keys as Chinese (checked by the type).
 * Shared texts (common.*, errors.*, enum.*) stay in zh-CN.ts and en.ts.
 */
export function pageTexts<T extends object>(ns: string, zh: T, english: Same<T>): void {
  i18n.addResourceBundle('zh-CN', 'translation', { [ns]: zh }, true, true);
  i18n.addResourceBundle('en', 'translation', { [ns]: english }, true, true);
}

export default i18n;
