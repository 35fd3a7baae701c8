import { useEffect, useState } from 'react';
import type { ContactRecord } from '../../../../shared/api-types';
import { isValidEmail } from '../../../../shared/validation';
import type { OpenMessage } from '../../../office/types';
import type { DraftLookup } from '../../../storage/drafts';
import { useApi } from '../../services';
import { contactNameParts, type FormDraft } from './form-model';

export type ContactState =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'found'; contact: ContactRecord }
  | { status: 'none' }
  | { status: 'creating' }
  | { status: 'failed'; error: unknown };

/** The Related To and Account lookups a contact fills. */
export function contactLookups(contact: ContactRecord): Record<string, DraftLookup | null> {
  return {
    Related_To: {
      id: contact.id,
      name: contact.Full_Name || [contact.First_Name, contact.Last_Name].filter(Boolean).join(' '),
    },
    Account_Name: contact.Account_Name
      ? { id: contact.Account_Name.id, name: contact.Account_Name.name }
      : null,
  };
}

/**
 * The contact behind the message's sender: searched by address once, unless the draft already chose (or cleared)
 * one, and filled into the draft without counting as the agent's edit; or created from the sender on request.
 */
export function useSenderContact(
  message: OpenMessage,
  startDraft: FormDraft,
  adjustDraft: (change: (draft: FormDraft) => FormDraft) => void,
  setLookup: (apiName: string, value: DraftLookup | null) => void,
) {
  const api = useApi();
  const sender = message.from.email;
  const [searchContact] = useState(() => startDraft.lookups.Related_To === undefined && isValidEmail(sender));
  const [contact, setContact] = useState<ContactState>(
    searchContact ? { status: 'searching' } : { status: 'idle' },
  );

  useEffect(() => {
    if (!searchContact) return;
    let active = true;
    api.searchContacts(sender).then(
      (found) => {
        if (!active) return;
        const match = found.find((c) => c.Email?.toLowerCase() === sender.toLowerCase()) ?? found[0];
        if (!match) return setContact({ status: 'none' });
        setContact({ status: 'found', contact: match });
        adjustDraft((d) =>
          d.lookups.Related_To === undefined
            ? { ...d, lookups: { ...contactLookups(match), ...d.lookups } }
            : d,
        );
      },
      (error: unknown) => {
        if (active) setContact({ status: 'failed', error });
      },
    );
    return () => {
      active = false;
    };
  }, [api, sender, searchContact, adjustDraft]);

  const createContact = async () => {
    setContact({ status: 'creating' });
    try {
      const parts = contactNameParts(message.from.name, sender);
      const id = await api.createContact({ ...parts, Email: sender });
      const contactRecord: ContactRecord = {
        id,
        First_Name: parts.First_Name ?? null,
        Last_Name: parts.Last_Name,
        Full_Name: [parts.First_Name, parts.Last_Name].filter(Boolean).join(' '),
        Email: sender,
        Phone: null,
        Account_Name: null,
      };
      setContact({ status: 'found', contact: contactRecord });
      setLookup('Related_To', contactLookups(contactRecord).Related_To);
    } catch (error) {
      setContact({ status: 'failed', error });
    }
  };

  return { contact, createContact };
}
