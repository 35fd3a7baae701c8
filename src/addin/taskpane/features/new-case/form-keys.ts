import type { KeyboardEvent } from 'react';

/**
 * The form's keys (issue 16, item 1): Ctrl+Enter (Cmd+Enter on a Mac) saves from any control; plain Enter in a
 * single-line field does nothing (the browser would submit — fast, but undocumented and easy to hit by accident).
 * Enter while an IME composes (Chinese, Japanese) only ends the composition.
 */
export function formKeyDown(event: KeyboardEvent<HTMLElement>, save: () => void): void {
  if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
  if (event.ctrlKey || event.metaKey) {
    event.preventDefault();
    save();
    return;
  }
  if (event.target instanceof HTMLInputElement) event.preventDefault();
}
