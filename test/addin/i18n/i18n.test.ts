import { loadCatalog, partTranslator, pickLanguage, translator } from '../../../src/addin/i18n';
import { ADMIN_TEXT } from '../../../src/addin/i18n/catalogs/admin';
import { REPORTS_TEXT } from '../../../src/addin/i18n/catalogs/reports';
import { en } from '../../../src/addin/i18n/catalogs/en';
import { pl } from '../../../src/addin/i18n/catalogs/pl';
import { zhCN } from '../../../src/addin/i18n/catalogs/zh-CN';

const CATALOGS = { en, pl, 'zh-CN': zhCN };

describe('language selection', () => {
  it.each([
    ['pl-PL', 'pl'],
    ['pl', 'pl'],
    ['PL-pl', 'pl'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%s → %s', (display, expected) => {
    expect(pickLanguage(display)).toBe(expected);
  });
});

describe('catalogs', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('give every message in every language, with the same placeholders as English', () => {
    for (const lang of ['pl', 'zh-CN'] as const) {
      for (const [key, english] of Object.entries(CATALOGS.en)) {
        const text = CATALOGS[lang][key as keyof typeof CATALOGS.en];
        expect({ lang, key, ok: typeof text === 'string' && text.trim().length > 0 }).toEqual({
          lang,
          key,
          ok: true,
        });
        expect({ lang, key, placeholders: placeholders(text) }).toEqual({
          lang,
          key,
          placeholders: placeholders(english),
        });
      }
      expect(Object.keys(CATALOGS[lang]).sort()).toEqual(Object.keys(CATALOGS.en).sort());
    }
  });

  it('are actually translated (not English copies) for the visible actions', () => {
    for (const key of ['saveCase', 'retry', 'tabNewCase', 'tabLinkCase', 'linkedTitle'] as const) {
      expect(CATALOGS.pl[key]).not.toBe(CATALOGS.en[key]);
      expect(CATALOGS['zh-CN'][key]).not.toBe(CATALOGS.en[key]);
    }
  });

  it('loads a language once and fills placeholders', async () => {
    expect(await loadCatalog('pl')).toBe(pl);
    await loadCatalog('zh-CN');
    expect(translator('pl')('createdTitle', { number: '00001234' })).toBe('Utworzono sprawę 00001234');
    expect(translator('zh-CN')('counter', { count: 3, max: 255 })).toBe('3 / 255 个字符');
    expect(translator('en')('counterOver', { count: 300, max: 255, over: 45 })).toBe(
      '300 of 255 characters: 45 too many',
    );
  });
});

describe('catalog parts (strings loaded with the Admin and Reports views)', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each([
    ['admin', ADMIN_TEXT],
    ['reports', REPORTS_TEXT],
  ])(
    '%s gives every string in every language, with the same placeholders, and shadows no pane key',
    (_, part) => {
      const english: Record<string, string> = part.en;
      for (const lang of ['pl', 'zh-CN'] as const) {
        const own: Record<string, string> = part[lang];
        expect(Object.keys(own).sort()).toEqual(Object.keys(english).sort());
        for (const [key, text] of Object.entries(english))
          expect({ lang, key, placeholders: placeholders(own[key]) }).toEqual({
            lang,
            key,
            placeholders: placeholders(text),
          });
      }
      // A part key with a pane key's name would change that word inside the view only.
      expect(Object.keys(english).filter((key) => key in CATALOGS.en)).toEqual([]);
    },
  );

  it("translates the part's keys and falls back to the pane's catalog for the rest", async () => {
    await loadCatalog('pl');
    const t = partTranslator(ADMIN_TEXT, 'pl');
    expect(t('moveUp', { field: 'Status' })).toBe('Przesuń Status w górę');
    expect(t('createdTitle', { number: '00001234' })).toBe('Utworzono sprawę 00001234');
    // A prototype name is no key of either catalog: it reads as itself, in both translators.
    expect(t('constructor' as 'moveUp')).toBe('constructor');
    expect(translator('pl')('__proto__' as 'retry')).toBe('__proto__');
  });
});
