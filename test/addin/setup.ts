import '@testing-library/jest-dom';

// jsdom has no layout: Fluent's MessageBar (reflow) and popovers observe sizes that never change here.
if (typeof window !== 'undefined' && !('ResizeObserver' in window)) {
  class ResizeObserverStub {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.defineProperty(window, 'ResizeObserver', { value: ResizeObserverStub, writable: true, configurable: true });
}

// The pane fetches the Polish and Chinese catalogs on first use (the Chromium e2e tests cover that path);
// component tests render in any language straight away.
import { loadCatalog } from '../../src/addin/i18n';
beforeAll(async () => {
  await Promise.all([loadCatalog('pl'), loadCatalog('zh-CN')]);
});

// Fluent renders a lot under jsdom; on a loaded 2-core CI machine 1 s (the default) is too tight for findBy*.
import { configure } from '@testing-library/react';
configure({ asyncUtilTimeout: 5000 });
