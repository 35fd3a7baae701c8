import { BUILT_IN_VIEW_IDS, RECENTLY_CLOSED_DAYS } from '../../shared/view-types';
import { type CaseCondition, OPEN, compare } from '../cases/case-condition';

/**
 * The system-defined views. They are code, not rows: "my" is the caller and "recently" is measured from now, so
 * each is a condition built per request. "Open" means any Status but Closed (Zoho's Cases picklist has no other
 * closed state). Recently closed is Status Closed and last changed within RECENTLY_CLOSED_DAYS days: the case's
 * Modified_Time is when it was closed unless someone edited it afterwards.
 */
export interface BuiltInView {
  id: string;
  name: string;
  systemName: string;
  criteria: string | null;
  where(caller: { userId: string; now: Date }): CaseCondition;
}

export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  {
    id: BUILT_IN_VIEW_IDS.my_open,
    name: 'My open cases',
    systemName: 'MYOPENCASES',
    criteria: '(Owner:equals:${CURRENTUSER})and(Status:not_equal:Closed)',
    where: ({ userId }) => ({ kind: 'and', items: [compare('owner_id', '=', userId), OPEN] }),
  },
  {
    id: BUILT_IN_VIEW_IDS.unassigned,
    name: 'Unassigned',
    systemName: 'UNASSIGNEDCASES',
    criteria: '(Owner:equals:${EMPTY})and(Status:not_equal:Closed)',
    where: () => ({ kind: 'and', items: [compare('owner_id', '=', null), OPEN] }),
  },
  {
    id: BUILT_IN_VIEW_IDS.escalated,
    name: 'Escalated',
    systemName: 'ESCALATEDCASES',
    criteria: '(Status:equals:Escalated)',
    where: () => compare('status', '=', 'Escalated'),
  },
  {
    id: BUILT_IN_VIEW_IDS.waiting,
    name: 'Waiting on customer',
    systemName: 'WAITINGONCUSTOMER',
    criteria: '(Status:equals:On Hold)',
    where: () => compare('status', '=', 'On Hold'),
  },
  {
    id: BUILT_IN_VIEW_IDS.recently_closed,
    name: 'Recently closed',
    systemName: 'RECENTLYCLOSED',
    criteria: `(Status:equals:Closed)and(Modified_Time:greater_equal:\${LAST${RECENTLY_CLOSED_DAYS}DAYS})`,
    where: ({ now }) => ({
      kind: 'and',
      items: [
        compare('status', '=', 'Closed'),
        compare(
          'modified_time',
          '>=',
          new Date(now.getTime() - RECENTLY_CLOSED_DAYS * 86_400_000).toISOString(),
        ),
      ],
    }),
  },
  {
    id: BUILT_IN_VIEW_IDS.all_open,
    name: 'All open cases',
    systemName: 'ALLOPENCASES',
    criteria: '(Status:not_equal:Closed)',
    where: () => OPEN,
  },
];

const byId = new Map(BUILT_IN_VIEWS.map((v) => [v.id, v]));

export function builtInView(id: string): BuiltInView | undefined {
  return byId.get(id);
}
