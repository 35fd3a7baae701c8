import { Theme, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import type { HostTheme } from '../office/types';

/** Relative luminance (WCAG) of a #rgb / #rrggbb colour, or null when it cannot be parsed. */
export function luminance(color: string | undefined): number | null {
  if (!color) return null;
  const hex = color.trim().replace(/^#/, '');
  const full = /^[0-9a-f]{3}$/i.test(hex) ? hex.replace(/./g, (c) => c + c) : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return null;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark Office themes (dark grey, black) get webDarkTheme; everything else, including unknown, webLightTheme. */
export function themeFor(host: HostTheme | null): Theme {
  const l = luminance(host?.bodyBackgroundColor);
  return l !== null && l < 0.2 ? webDarkTheme : webLightTheme;
}
