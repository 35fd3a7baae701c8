import { webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { luminance, themeFor } from '../../../src/addin/taskpane/theme';

describe('theme from Office', () => {
  it.each([
    ['#ffffff', webLightTheme],
    ['#f3f2f1', webLightTheme],
    ['#1f1f1f', webDarkTheme],
    ['#000', webDarkTheme],
    ['#262626', webDarkTheme],
    ['#808080', webLightTheme],
  ])('body background %s', (color, theme) => {
    expect(themeFor({ bodyBackgroundColor: color })).toBe(theme);
  });

  it('defaults to light without a theme or with an unparsable colour', () => {
    expect(themeFor(null)).toBe(webLightTheme);
    expect(themeFor({ bodyBackgroundColor: 'rgb(0,0,0)' })).toBe(webLightTheme);
    expect(luminance('nonsense')).toBeNull();
  });
});
