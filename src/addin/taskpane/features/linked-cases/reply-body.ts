import { caseReference } from '../../../../shared/case-reference';

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The reply body the pane hands to Outlook (an HTML string): one paragraph with the case reference, so the customer
 * keeps it in the subject of the next message. The text is escaped: a translation never becomes markup.
 */
export function replyBodyHtml(caseNumber: string, sentence: (reference: string) => string): string {
  const text = sentence(caseReference(caseNumber));
  return `<p>${text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)}</p>`;
}
