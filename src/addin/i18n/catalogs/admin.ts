import type { CatalogPart } from '..';
import { type AdminKey, adminEn } from './admin.en';
import { adminPl } from './admin.pl';
import { adminZh } from './admin.zh-CN';

export type { AdminKey };

/** The admin screens' strings (usePartI18n(ADMIN_TEXT)). */
export const ADMIN_TEXT: CatalogPart<AdminKey> = { en: adminEn, pl: adminPl, 'zh-CN': adminZh };
