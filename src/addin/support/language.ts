import type { Language } from '../../shared/case-fields';
import { pickLanguage } from '../i18n/language';

const KNOWN = /^(en|pl|zh)(-|$)/i;

/** `?lang=` first (a link from the pane or the manifest), else the first browser language we have, else English. */
export function supportLanguage(search: string, browserLanguages: readonly string[]): Language {
  const asked = new URLSearchParams(search).get('lang');
  if (asked && KNOWN.test(asked.trim())) return pickLanguage(asked);
  const known = browserLanguages.find((l) => KNOWN.test(l.trim()));
  return pickLanguage(known);
}
