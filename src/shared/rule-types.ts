/**
 * Assignment and escalation rules as the settings API returns and takes them (admin role). Criteria use the search
 * grammar, e.g. `((Priority:equals:High)and(Case_Origin:equals:Email))`.
 */
export interface UserRef {
  id: string;
  name: string;
}

/** Ordered criteria → an owner or a round-robin group; applied to every case created without an owner. */
export interface AssignmentRule {
  id: string;
  name: string;
  position: number;
  criteria: string | null;
  owner: UserRef | null;
  round_robin_users: UserRef[];
  active: boolean;
}

export interface AssignmentRuleInput {
  name: string;
  position?: number;
  criteria?: string | null;
  /** Either an owner or a round-robin group. */
  owner?: { id: string } | null;
  round_robin_users?: { id: string }[];
  active?: boolean;
}

/** Criteria + "not acted on within N hours" → a named user or the owner's manager; one rule active at a time. */
export interface EscalationRule {
  id: string;
  name: string;
  criteria: string | null;
  hours: number;
  escalate_to: UserRef | null;
  to_owners_manager: boolean;
  active: boolean;
}

export interface EscalationRuleInput {
  name: string;
  criteria?: string | null;
  hours: number;
  /** Either a named user or to_owners_manager: true. */
  escalate_to?: { id: string } | null;
  to_owners_manager?: boolean;
  active?: boolean;
}
