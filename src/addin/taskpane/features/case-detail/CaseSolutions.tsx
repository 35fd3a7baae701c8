import { Badge, Text } from '@fluentui/react-components';
import { useI18n } from '../../../i18n';
import { Loaded } from '../../components/Loaded';
import { useCaseData } from './case-context';
import { useListStyles } from './styles';
import { useApi } from '../../services';

export function CaseSolutions() {
  const api = useApi();
  const styles = useListStyles();
  const { t } = useI18n();
  const list = useCaseData('solutions', (id, signal) => api.caseSolutions(id, signal));
  return (
    <section className={styles.section} data-testid="case-solutions" aria-label={t('sectionSolutions')}>
      <Loaded
        state={list.state}
        reload={list.reload}
        loadingLabel={t('loading')}
        emptyText={t('solutionsNone')}
      >
        {(items) => (
          <ul className={styles.list}>
            {items.map((s) => (
              <li key={s.id} className={styles.item} data-testid={`solution-${s.Solution_Number}`}>
                <div className={styles.row}>
                  <Text weight="semibold">{s.Solution_Number}</Text>
                  <Badge appearance="tint" color={s.Status === 'Published' ? 'success' : 'informative'}>
                    {s.Status === 'Published'
                      ? t('solutionStatusPublished')
                      : s.Status === 'Draft'
                        ? t('solutionStatusDraft')
                        : s.Status === 'Reviewed'
                          ? t('solutionStatusReviewed')
                          : s.Status}
                  </Badge>
                </div>
                <Text className={styles.text}>{s.Solution_Title}</Text>
                <Text size={200} className={styles.body}>
                  {s.Answer}
                </Text>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </section>
  );
}
