import { makeStyles } from '@fluentui/react-components';
import type { ReactNode } from 'react';

/**
 * Touch-sized targets where the pointer is a finger (Outlook on iOS and Android, touch screens): every control at
 * least 44 x 44 px — Apple's minimum for iOS (Human Interface Guidelines), above Microsoft's 40 x 40 epx touch target
 * (Windows "Guidelines for touch targets"). Mouse users keep Fluent's density. The narrow pane never scrolls
 * sideways: long words and URLs wrap.
 */
const TOUCH_TARGET = '44px';

const useStyles = makeStyles({
  root: {
    maxWidth: '100%',
    overflowWrap: 'anywhere',
    '@media (pointer: coarse)': {
      '& button, & [role="tab"], & a[href], & .fui-Input, & .fui-Textarea, & .fui-Dropdown, & .fui-Combobox, & .fui-Checkbox, & .fui-Switch':
        {
          minHeight: TOUCH_TARGET,
        },
      '& button, & [role="tab"], & a[href], & .fui-Checkbox, & .fui-Switch': {
        minWidth: TOUCH_TARGET,
      },
    },
  },
});

export function TouchLayout({ children }: { children: ReactNode }) {
  return <div className={useStyles().root}>{children}</div>;
}
