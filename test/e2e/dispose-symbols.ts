/**
 * Jest runs tests in a vm context whose Symbol lacks Symbol.dispose / Symbol.asyncDispose, which Node 20
 * defines on its main realm as Symbol.for('nodejs.dispose') / Symbol.for('nodejs.asyncDispose').
 * playwright-core (1.5x+) uses `using` declarations internally; without the same symbols in this realm
 * its element handles are "not disposable" and clicks, bounding boxes, etc. fail inside jest.
 * Imported first by harness.ts, before playwright-core loads.
 */
const symbols = Symbol as unknown as Record<'dispose' | 'asyncDispose', symbol | undefined>;
if (!symbols.dispose) Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose') });
if (!symbols.asyncDispose)
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose') });

export {};
