import { MESSAGE_LIMITS, messageIdsIn } from '../../shared/email-message';

/** A message's thread headers (RFC 5322 3.6.4), normalised Message-IDs. */
export interface ThreadHeaders {
  inReplyTo: string | null;
  references: string[];
}

/** The value of one header in a raw header block (folded lines joined, RFC 5322 2.2.3); the first one wins. */
function headerValue(block: string, name: string): string | null {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const wanted = name.toLowerCase() + ':';
  for (const line of unfolded.split(/\r?\n/))
    if (line.slice(0, wanted.length).toLowerCase() === wanted) return line.slice(wanted.length).trim();
  return null;
}

/**
 * In-Reply-To and References from what MessageRead.getAllInternetHeadersAsync hands out: the message's
 * header block as one string (https://learn.microsoft.com/office/dev/add-ins/outlook/internet-headers).
 * References keeps its newest ids when it is longer than the API takes.
 */
export function threadHeadersOf(block: string): ThreadHeaders {
  const inReplyTo = messageIdsIn(headerValue(block, 'In-Reply-To') ?? '')[0] ?? null;
  const references = [...new Set(messageIdsIn(headerValue(block, 'References') ?? ''))].slice(
    -MESSAGE_LIMITS.references,
  );
  return { inReplyTo, references };
}
