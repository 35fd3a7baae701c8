/**
 * The support page's text (manifest SupportUrl) in the add-in's three languages. Kept apart from the pane's
 * catalogs: the page loads no React, no Office.js and none of the pane's strings.
 */
import type { Language } from '../../shared/case-fields';

export interface SupportStrings {
  title: string;
  intro: string;
  whatTitle: string;
  what: string[];
  helpTitle: string;
  help: string[];
  troubleTitle: string;
  trouble: string[];
  version: string;
  languages: string;
}

const en: SupportStrings = {
  title: 'Casepane help',
  intro: 'Casepane is an Outlook add-in that turns customer emails into support cases.',
  whatTitle: 'What it does',
  what: [
    'Open an email and choose Casepane on the ribbon (on a phone: in the add-ins menu of the message).',
    'The pane shows the cases the email, its conversation or a [Case #…] in its subject belongs to.',
    'New case is prefilled from the email; Link to case adds the email to an existing case.',
    'Unsaved work is kept on this device until the case is saved or you sign out.',
  ],
  helpTitle: 'How to get help',
  help: [
    'Ask your Casepane administrator or your IT help desk: they run the Cases service and manage your account.',
    'Tell them the version shown below, what you were doing and when it happened.',
  ],
  troubleTitle: 'If the pane does not work',
  trouble: [
    'Check that Casepane is turned on in Outlook (Get Add-ins, then My add-ins).',
    'If sign-in fails, allow pop-ups and sign-in windows for Outlook, then try again.',
    'Close and reopen Outlook, then open the email again.',
  ],
  version: 'Version {version}',
  languages: 'Language',
};

const pl: SupportStrings = {
  title: 'Pomoc Casepane',
  intro: 'Casepane to dodatek do Outlooka, który zamienia e-maile klientów w zgłoszenia.',
  whatTitle: 'Co robi',
  what: [
    'Otwórz wiadomość i wybierz Casepane na wstążce (na telefonie: w menu dodatków wiadomości).',
    'Panel pokazuje zgłoszenia, do których należy wiadomość, jej konwersacja lub [Case #…] w temacie.',
    'Nowe zgłoszenie jest wypełniane z wiadomości; Połącz ze zgłoszeniem dodaje wiadomość do istniejącego.',
    'Niezapisana praca zostaje na tym urządzeniu, dopóki zgłoszenie nie zostanie zapisane lub się nie wylogujesz.',
  ],
  helpTitle: 'Jak uzyskać pomoc',
  help: [
    'Zwróć się do administratora Casepane lub działu IT: to oni prowadzą usługę zgłoszeń i zarządzają Twoim kontem.',
    'Podaj wersję widoczną poniżej, co robiłeś i kiedy to się stało.',
  ],
  troubleTitle: 'Gdy panel nie działa',
  trouble: [
    'Sprawdź, czy Casepane jest włączony w Outlooku (Pobierz dodatki, a potem Moje dodatki).',
    'Jeśli logowanie się nie udaje, zezwól Outlookowi na okna logowania i spróbuj ponownie.',
    'Zamknij i ponownie otwórz Outlooka, a potem otwórz wiadomość jeszcze raz.',
  ],
  version: 'Wersja {version}',
  languages: 'Język',
};

const zhCN: SupportStrings = {
  title: 'Casepane 帮助',
  intro: 'Casepane 是一个 Outlook 加载项，可将客户电子邮件转换为支持案例。',
  whatTitle: '功能',
  what: [
    '打开一封邮件，然后在功能区中选择 Casepane（在手机上：在邮件的加载项菜单中）。',
    '窗格显示该邮件、其对话或主题中的 [Case #…] 所属的案例。',
    '“新建案例”会根据邮件预先填写；“链接到案例”会将邮件添加到现有案例。',
    '未保存的内容会保留在此设备上，直到案例保存或你注销。',
  ],
  helpTitle: '如何获取帮助',
  help: [
    '请联系你的 Casepane 管理员或 IT 支持部门：他们负责运行案例服务并管理你的帐户。',
    '请告诉他们下方显示的版本、你当时在做什么以及发生的时间。',
  ],
  troubleTitle: '如果窗格无法使用',
  trouble: [
    '检查 Outlook 中是否已启用 Casepane（获取加载项，然后选择“我的加载项”）。',
    '如果登录失败，请允许 Outlook 打开登录窗口，然后重试。',
    '关闭并重新打开 Outlook，然后再次打开该邮件。',
  ],
  version: '版本 {version}',
  languages: '语言',
};

export const SUPPORT_STRINGS: Record<Language, SupportStrings> = { en, pl, 'zh-CN': zhCN };

/** Names of the languages in themselves, for the page's language links. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', pl: 'Polski', 'zh-CN': '简体中文' };
