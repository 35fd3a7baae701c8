import { useCallback } from 'react';
import type { Language } from '../../../../shared/case-fields';
import { useI18n } from '../../../i18n';
import { type ReportsKey, reportsEn } from '../../../i18n/catalogs/reports.en';
import { reportsPl } from '../../../i18n/catalogs/reports.pl';
import { reportsZh } from '../../../i18n/catalogs/reports.zh-CN';

export type ReportsText = (key: ReportsKey, params?: Record<string, string | number>) => string;

const CATALOGS: Record<Language, Record<ReportsKey, string>> = {
  en: reportsEn,
  pl: reportsPl,
  'zh-CN': reportsZh,
};

/** The Reports view's strings in the pane's language, {name} placeholders filled as the main catalog does. */
export function useReportsText(): ReportsText {
  const { language } = useI18n();
  return useCallback(
    (key, params = {}) =>
      (CATALOGS[language][key] ?? reportsEn[key]).replace(/\{(\w+)\}/g, (all, name: string) =>
        name in params ? String(params[name]) : all,
      ),
    [language],
  );
}
