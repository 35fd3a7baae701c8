import { Accordion, AccordionHeader, AccordionItem, AccordionPanel } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { CaseRecord } from '../../../../shared/api-types';
import { useI18n, type MessageKey } from '../../../i18n';
import { CaseActivities } from './CaseActivities';
import { CaseAttachments } from './CaseAttachments';
import { CaseEmails } from './CaseEmails';
import { CaseNotes } from './CaseNotes';
import { CaseSolutions } from './CaseSolutions';
import { CaseTimeline } from './CaseTimeline';
import { SendEmail } from './SendEmail';
import { useCaseChanged } from './case-context';

export interface CaseRelatedListsProps {
  record: CaseRecord;
  onOpenCase(caseId: string): void;
  /** A message left this case: unlinked (toCaseNumber null) or moved to another one. */
  onMessageMoved?(internetMessageId: string, fromCaseNumber: string, toCaseNumber: string | null): void;
}

/**
 * The case's related lists, one collapsible section each (history open): each section loads its list through the
 * CaseProvider when first opened, and shows it again at once when reopened until the case changes.
 */
export function CaseRelatedLists({ record, onOpenCase, onMessageMoved }: CaseRelatedListsProps) {
  const caseChanged = useCaseChanged();
  return (
    <Accordion multiple collapsible defaultOpenItems={['history']}>
      <Section value="emails" title="sectionEmails">
        <CaseEmails
          onOpenCase={onOpenCase}
          onMessageMoved={(messageId, target) =>
            onMessageMoved?.(messageId, record.Case_Number, target?.caseNumber ?? null)
          }
        />
      </Section>
      <Section value="send" title="sectionSend">
        <SendEmail record={record} onSent={caseChanged} />
      </Section>
      <Section value="notes" title="sectionNotes">
        <CaseNotes />
      </Section>
      <Section value="activities" title="sectionActivities">
        <CaseActivities />
      </Section>
      <Section value="attachments" title="sectionAttachments">
        <CaseAttachments />
      </Section>
      <Section value="solutions" title="sectionSolutions">
        <CaseSolutions />
      </Section>
      <Section value="history" title="sectionHistory">
        <CaseTimeline />
      </Section>
    </Accordion>
  );
}

function Section({ value, title, children }: { value: string; title: MessageKey; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <AccordionItem value={value}>
      {/* A stable id: the browser tests open a section by it. */}
      <AccordionHeader button={{ id: `case-section-${value}` }}>{t(title)}</AccordionHeader>
      <AccordionPanel>{children}</AccordionPanel>
    </AccordionItem>
  );
}
