import type { CatalogPart } from '..';
import { type ReportsKey, reportsEn } from './reports.en';
import { reportsPl } from './reports.pl';
import { reportsZh } from './reports.zh-CN';

export type { ReportsKey };

/** The Reports view's strings (usePartI18n(REPORTS_TEXT)). */
export const REPORTS_TEXT: CatalogPart<ReportsKey> = { en: reportsEn, pl: reportsPl, 'zh-CN': reportsZh };
