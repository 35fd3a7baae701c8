import { makeStyles, tokens } from '@fluentui/react-components';

/** The pane's case lists (search results, suggestions, picks): one look for all of them. */
export const useCaseListStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: '0',
    padding: '0',
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXS,
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  itemText: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: '0' },
  head: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'center' },
});
