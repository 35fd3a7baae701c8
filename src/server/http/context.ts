import type { FastifyRequest } from 'fastify';
import type { FieldDefinition } from '../../shared/case-fields';
import type { Role } from '../../shared/api-types';
import type { Storage } from '../db/database';
import type { Dialect } from '../db/dialect';

/** The signed-in user as the routes see them: their row id, display data and role. */
export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    currentUser?: CurrentUser;
  }
}

/** Who acts and under which organisation's field layout and engine; passed to every service call. */
export interface ServiceContext {
  dialect: Dialect;
  fields: readonly FieldDefinition[];
  user: { id: string; name: string; email: string };
}

export interface AppDeps {
  storage: Storage;
  fields: readonly FieldDefinition[];
}

export function userOf(request: FastifyRequest): CurrentUser {
  if (!request.currentUser) throw new Error('route reached without authentication');
  return request.currentUser;
}

export function serviceContext(deps: AppDeps, request: FastifyRequest): ServiceContext {
  const user = userOf(request);
  return {
    dialect: deps.storage.dialect,
    fields: deps.fields,
    user: { id: user.id, name: user.name, email: user.email },
  };
}
