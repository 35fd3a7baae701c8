/**
 * office-addin-mock, loadable under jest: it imports office-addin-manifest only for the OfficeApp enum, and that
 * package drags in ESM-only dependencies jest cannot parse. Replace it with the enum before loading the mock.
 */
jest.mock('office-addin-manifest', () => ({
  OfficeApp: { Excel: 'excel', OneNote: 'onenote', Outlook: 'outlook', PowerPoint: 'powerpoint', Project: 'project', Word: 'word' },
}));

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { OfficeMockObject } = require('office-addin-mock') as typeof import('office-addin-mock');
