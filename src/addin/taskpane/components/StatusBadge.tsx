import { Badge, BadgeProps } from '@fluentui/react-components';
import { STANDARD_FIELDS, fieldByApiName, labelOf } from '../../../shared/case-fields';
import { useI18n } from '../../i18n';

const COLOR: Record<string, BadgeProps['color']> = {
  New: 'brand',
  'On Hold': 'warning',
  Escalated: 'danger',
  Closed: 'informative',
};

const statusField = fieldByApiName(STANDARD_FIELDS, 'Status');

export function statusLabel(status: string, language: Parameters<typeof labelOf>[1]): string {
  const option = statusField?.picklist?.find((o) => o.value === status);
  return option ? (option.label[language] ?? option.label.en) : status;
}

export function StatusBadge({ status }: { status: string }) {
  const { language } = useI18n();
  return (
    <Badge appearance="filled" color={COLOR[status] ?? 'subtle'} data-status={status}>
      {statusLabel(status, language)}
    </Badge>
  );
}

export function picklistLabel(
  apiName: string,
  value: string | null | undefined,
  language: Parameters<typeof labelOf>[1],
): string {
  if (!value) return '';
  const option = fieldByApiName(STANDARD_FIELDS, apiName)?.picklist?.find((o) => o.value === value);
  return option ? (option.label[language] ?? option.label.en) : value;
}
