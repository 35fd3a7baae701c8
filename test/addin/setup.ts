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
