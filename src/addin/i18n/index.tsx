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

const own = (catalog: Record<string, string>, key: string): string | undefined =>
  Object.prototype.hasOwnProperty.call(catalog, key) ? catalog[key] : undefined;

export function translator(language: Language): Translate {
  const catalog = CATALOGS[language] ?? en;
  // Keys are typed, but a key from data (an action name, a report) must never reach Object.prototype: an unknown
  // key reads as itself.
  return (key, params) => formatMessage(own(catalog, key) ?? own(en, key) ?? key, params);
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

/**
 * A view's own strings in every language (Admin, Reports): imported by that view only, so they arrive with its
 * lazily loaded chunk and the pane's first download never carries them.
 */
export type CatalogPart<K extends string> = Record<Language, Record<K, string>>;

/** A translator for a part's keys and the pane's own (Back, Saving…), filled by the one formatMessage. */
export type PartTranslate<K extends string> = (key: K | MessageKey, params?: Params) => string;

/** A part's strings in `language` (English where one is missing), the pane's catalog for every other key. */
export function partTranslator<K extends string>(part: CatalogPart<K>, language: Language): PartTranslate<K> {
  const common = translator(language);
  return (key, params) => {
    const english = own(part.en, key);
    if (english === undefined) return common(key as MessageKey, params);
    return formatMessage(own(part[language], key) ?? english, params);
  };
}

/** useI18n() for a view with its own strings: the part's first, then the pane's. */
export function usePartI18n<K extends string>(
  part: CatalogPart<K>,
): Omit<I18n, 't'> & { t: PartTranslate<K> } {
  const i18n = useI18n();
  return useMemo(() => ({ ...i18n, t: partTranslator(part, i18n.language) }), [i18n, part]);
}
