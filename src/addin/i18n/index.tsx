import { createContext, ReactNode, useContext, useMemo } from 'react';
import type { Language } from '../../shared/case-fields';
import { en, type Catalog, type MessageKey } from './catalogs/en';
import { formatMessage } from './language';

export type { MessageKey, Catalog };

/** English is built in; Polish and Chinese are fetched on first use, so English agents download neither. */
const CATALOGS: Partial<Record<Language, Catalog>> = { en };
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Catalog>> = {
  pl: () => import('./catalogs/pl').then((m) => m.pl),
  'zh-CN': () => import('./catalogs/zh-CN').then((m) => m.zhCN),
};

export function isCatalogLoaded(language: Language): boolean {
  return CATALOGS[language] !== undefined;
}

export async function loadCatalog(language: Language): Promise<Catalog> {
  const loaded = CATALOGS[language];
  if (loaded) return loaded;
  const catalog = await LOADERS[language as Exclude<Language, 'en'>]();
  CATALOGS[language] = catalog;
  return catalog;
}

// In their own module so pages without React (the support page) can use them.
export { pickLanguage, formatMessage } from './language';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(language: Language): Translate {
  const catalog = CATALOGS[language] ?? en;
  return (key, params) => formatMessage(catalog[key] ?? en[key], params);
}

interface I18n {
  language: Language;
  t: Translate;
  formatDateTime(iso: string | null | undefined): string;
}

const I18nContext = createContext<I18n | null>(null);

export function makeI18n(language: Language): I18n {
  const t = translator(language);
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    language,
    t,
    formatDateTime: (iso) => {
      if (!iso) return '';
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? '' : format.format(date);
    },
  };
}

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const value = useMemo(() => makeI18n(language), [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
