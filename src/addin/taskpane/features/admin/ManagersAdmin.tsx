import { Dropdown, Option, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { UserRecord } from '../../../../shared/api-types';
import { usePartI18n } from '../../../i18n';
import { ADMIN_TEXT } from '../../../i18n/catalogs/admin';
import { useAdminStyles } from './admin-styles';
import { ActionOutcome, useAdminAction, userOptions } from './admin-parts';
import { useApi } from '../../services';

const NO_MANAGER = '';

/** Each user's manager: where escalation rules "to the owner's manager" send a case. */
export function ManagersAdmin({ users }: { users: UserRecord[] }) {
  const api = useApi();
  const styles = useAdminStyles();
  const { t } = usePartI18n(ADMIN_TEXT);
  // Shown as chosen once saved; the users list itself was loaded with the screen.
  const [managers, setManagers] = useState(
    () => new Map(users.map((u) => [u.id, u.manager?.id ?? NO_MANAGER])),
  );
  const { status, act, busy } = useAdminAction(() => undefined);
  const nameOf = (id: string) => users.find((u) => u.id === id)?.full_name ?? '';

  const choose = (user: UserRecord, managerId: string) =>
    void act(
      async () => {
        await api.setManager(user.id, managerId === NO_MANAGER ? null : managerId);
        setManagers((m) => new Map(m).set(user.id, managerId));
      },
      t('managerSaved', { name: user.full_name }),
    );

  return (
    <section className={styles.section} aria-labelledby="managers-title" data-testid="managers-admin">
      <Text as="h2" id="managers-title" weight="semibold" size={400}>
        {t('managersTitle')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('managersHint')}
      </Text>
      <ul className={styles.list} aria-label={t('managersTitle')}>
        {users.map((user) => {
          const current = managers.get(user.id) ?? NO_MANAGER;
          return (
            <li key={user.id} className={styles.item} data-testid={`manager-row-${user.id}`}>
              <div className={styles.name}>
                <Text weight="semibold">{user.full_name}</Text>
                <Text size={200} className={styles.muted}>
                  {user.email}
                </Text>
              </div>
              <Dropdown
                aria-label={t('managerOf', { name: user.full_name })}
                data-testid={`manager-of-${user.id}`}
                disabled={busy}
                value={current === NO_MANAGER ? t('managerNone') : nameOf(current)}
                selectedOptions={[current]}
                onOptionSelect={(_, d) => choose(user, d.optionValue ?? NO_MANAGER)}
              >
                <Option value={NO_MANAGER} text={t('managerNone')}>
                  {t('managerNone')}
                </Option>
                {userOptions(users.filter((u) => u.id !== user.id))}
              </Dropdown>
            </li>
          );
        })}
      </ul>
      <ActionOutcome status={status} testIdPrefix="manager" errorKey="managerError" />
    </section>
  );
}
