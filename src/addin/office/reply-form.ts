/**
 * Outlook's own reply form for the open message, with a body the pane writes (issue 16, item 2: "reply with the
 * reference"). Outlook's reply keeps the thread (In-Reply-To / References to the message), so the server threads the
 * customer's answer to the case by its headers; the body carries the [Case #n] reference for everything else.
 *
 * MessageRead.displayReplyForm is Mailbox 1.0 with a string (the reply body, HTML; "limited to 32 KB"), read item,
 * read mode; it returns nothing and throws when a string is over its limit
 * (https://learn.microsoft.com/javascript/api/outlook/office.messageread#outlook-office-messageread-displayreplyform-member(1)).
 * displayReplyFormAsync (Mailbox 1.9) takes the same body and reports through a callback
 * (https://learn.microsoft.com/javascript/api/outlook/office.messageread#outlook-office-messageread-displayreplyformasync-member(1)).
 * Neither exists on a message being written (MessageCompose).
 */
import type { MessageRef } from './types';

/** Outlook's limit on the reply body ("The string is limited to 32 KB", Office.ReplyFormData.htmlBody). */
export const REPLY_BODY_LIMIT = 32 * 1024;

type AsyncCallback = (result: Office.AsyncResult<void>) => void;

interface ReplyCapable {
  itemId?: unknown;
  displayReplyForm?: (formData: string) => void;
  displayReplyFormAsync?: (formData: string, callback: AsyncCallback) => void;
}

export interface ReplyFormDeps {
  /** Office.context.mailbox.item now. */
  item(): unknown;
  isSupported(set: string, version: string): boolean;
  /** Runs an Office async call to its callback; rejects on failure or when Outlook never answers. */
  call(start: (callback: AsyncCallback) => void): Promise<void>;
}

function replyCapable(item: unknown): ReplyCapable | null {
  const candidate = item as ReplyCapable | null | undefined;
  return candidate && typeof candidate.displayReplyForm === 'function' ? candidate : null;
}

export function createReplyForm(deps: ReplyFormDeps) {
  /** The open item can show a reply form (read mode, a host with displayReplyForm). */
  function canReply(): boolean {
    return replyCapable(deps.item()) !== null;
  }

  /**
   * Opens Outlook's reply to the message `ref` with `htmlBody` above the quoted original. False when that message is
   * no longer the open one (a reply to another message would be worse than none), the host has no reply form, the
   * body is over Outlook's limit, or Outlook refuses.
   */
  async function displayReply(ref: MessageRef, htmlBody: string): Promise<boolean> {
    const item = replyCapable(deps.item());
    if (!item || !ref.itemId || item.itemId !== ref.itemId || htmlBody.length > REPLY_BODY_LIMIT)
      return false;
    try {
      if (deps.isSupported('Mailbox', '1.9') && typeof item.displayReplyFormAsync === 'function') {
        await deps.call((cb) => item.displayReplyFormAsync!(htmlBody, cb));
      } else item.displayReplyForm!(htmlBody);
      return true;
    } catch {
      return false;
    }
  }

  return { canReply, displayReply };
}
