import { createContext, useContext, type ReactNode } from 'react';
import type { UserRecord } from '../../shared/api-types';
import type { FieldDefinition } from '../../shared/case-fields';
import type { CasesApi } from '../api/client';
import type { MailHost } from '../office/types';
import type { DraftStore } from '../storage/drafts';

/**
 * What the whole pane talks to (issue 13, step 5): the Cases API, the Office adapter and the draft stores. Given once
 * by Root and read where it is used, instead of handed from component to component.
 */
export interface PaneServices {
  api: CasesApi;
  host: MailHost;
  /** Unsaved new-case forms, per message. */
  drafts: DraftStore;
  /** Unsaved edits of opened cases. */
  caseDrafts: DraftStore;
}

/** Who is signed in and the layout they work with, loaded once per sign-in (useSession). */
export interface PaneSession {
  me: UserRecord | null;
  /** Active users, for owner choices and for names where the API gives only an id. */
  users: UserRecord[];
  fields: FieldDefinition[];
}

const ServicesContext = createContext<PaneServices | null>(null);
const SessionContext = createContext<PaneSession | null>(null);

export function ServicesProvider({ services, children }: { services: PaneServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function SessionProvider({ session, children }: { session: PaneSession; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The pane's services; a component outside ServicesProvider is a programming error, not a state to render. */
export function useServices(): PaneServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a ServicesProvider above it');
  return services;
}

export function useApi(): CasesApi {
  return useServices().api;
}

/** The signed-in session; components below the sign-in only. */
export function usePaneSession(): PaneSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('usePaneSession() needs a SessionProvider above it');
  return session;
}
