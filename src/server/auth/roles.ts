import type { Role } from '../../shared/api-types';

/** The spec's three separate Cases permissions, plus administration (settings, custom fields). */
export type Permission = 'view' | 'edit' | 'delete' | 'admin';

export const ROLES: readonly Role[] = ['viewer', 'agent', 'manager', 'admin'];

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['view'],
  agent: ['view', 'edit'],
  manager: ['view', 'edit', 'delete'],
  admin: ['view', 'edit', 'delete', 'admin'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/**
 * Entra ID app roles arrive as e.g. "Casepane.Agent"; the local issuer uses the bare name.
 * Several roles: the strongest wins. None: the configured default.
 */
export function roleFromClaims(roles: unknown, fallback: Role): Role {
  if (!Array.isArray(roles)) return fallback;
  const names = roles
    .filter((r): r is string => typeof r === 'string')
    .map((r) => r.toLowerCase().replace(/^casepane\./, ''))
    .filter(isRole);
  if (names.length === 0) return fallback;
  return names.reduce((best, r) => (ROLES.indexOf(r) > ROLES.indexOf(best) ? r : best));
}
