/** Plain language helpers without React: the pane's i18n re-exports them, the support page uses them alone. */
import type { Language } from '../../shared/case-fields';

/** Office display language or a browser language (BCP 47, e.g. "pl-PL", "zh-CN", "zh-Hans-CN") → catalog language. */
export function pickLanguage(displayLanguage: string | null | undefined): Language {
  const tag = (displayLanguage ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (tag === 'pl' || tag.startsWith('pl-')) return 'pl';
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  return 'en';
}

/** A message with its {placeholders} filled; unknown ones stay as written. */
export function formatMessage(template: string, params?: Record<string, string | number>): string {
  return params
    ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
    : template;
}
