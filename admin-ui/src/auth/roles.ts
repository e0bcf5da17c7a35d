import { REQUIRED_ROLES } from '../api/generated/roles';

export type Role = 'read' | 'write' | 'admin';
export type Operation = keyof typeof REQUIRED_ROLES;

const ORDER: readonly Role[] = ['read', 'write', 'admin'];

/** Each role includes the ones before it, as on the server. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ORDER.indexOf(held) >= ORDER.indexOf(needed);
}

/** The role an operation needs, from its x-required-role in the OpenAPI document. */
export function requiredRole(operation: Operation): Role {
  return REQUIRED_ROLES[operation] as Role;
}
