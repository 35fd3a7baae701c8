/**
 * The support page (the manifest's SupportUrl): what Casepane does, how to get help, the version. A plain page
 * for browsers outside Outlook: no Office.js, no React, text set with textContent only.
 */
import type { Language } from '../../shared/case-fields';
import { formatMessage } from '../i18n/language';
import { LANGUAGE_NAMES, SUPPORT_STRINGS, type SupportStrings } from '../i18n/support-strings';
import { supportLanguage } from './language';

declare const __CASEPANE_VERSION__: string | undefined;
const VERSION = typeof __CASEPANE_VERSION__ === 'string' ? __CASEPANE_VERSION__ : 'dev';

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  testId?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (testId) node.dataset.testid = testId;
  return node;
}

function section(title: string, items: string[], testId: string): HTMLElement {
  const box = el('section', undefined, testId);
  box.append(el('h2', title));
  const list = el('ul');
  items.forEach((item) => list.append(el('li', item)));
  box.append(list);
  return box;
}

function languageLinks(current: Language, s: SupportStrings): HTMLElement {
  const nav = el('nav', undefined, 'support-languages');
  nav.setAttribute('aria-label', s.languages);
  (Object.keys(LANGUAGE_NAMES) as Language[]).forEach((lang) => {
    const a = el('a', LANGUAGE_NAMES[lang]);
    a.href = `?lang=${encodeURIComponent(lang)}`;
    a.lang = lang;
    if (lang === current) a.setAttribute('aria-current', 'page');
    nav.append(a, ' ');
  });
  return nav;
}

export function renderSupport(root: HTMLElement, language: Language): void {
  const s = SUPPORT_STRINGS[language];
  document.documentElement.lang = language;
  document.title = s.title;
  const main = el('main');
  main.append(
    languageLinks(language, s),
    el('h1', s.title, 'support-title'),
    el('p', s.intro),
    section(s.whatTitle, s.what, 'support-what'),
    section(s.helpTitle, s.help, 'support-help'),
    section(s.troubleTitle, s.trouble, 'support-trouble'),
    el('p', formatMessage(s.version, { version: VERSION }), 'support-version'),
  );
  root.replaceChildren(main);
}

const root = document.getElementById('support');
if (root)
  renderSupport(root, supportLanguage(window.location.search, navigator.languages ?? [navigator.language]));
