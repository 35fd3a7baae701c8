/**
 * Seeded, realistic bench data: support cases created from customer emails (subjects and bodies in English,
 * Polish and Chinese; senders from a fixed pool so an address has a handful of cases; threads of 1–3
 * messages, 2 on average, so 1,000,000 cases carry 2,000,000 linked emails).
 */

/** mulberry32: small, fast, seeded; the same seed gives the same data set on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)];

const EN = {
  things: [
    'printer',
    'invoice',
    'laptop',
    'VPN',
    'password',
    'license',
    'router',
    'dashboard',
    'report',
    'mailbox',
    'scanner',
    'subscription',
    'order',
    'delivery',
    'refund',
    'account',
    'monitor',
    'keyboard',
    'backup',
    'update',
  ],
  problems: [
    'does not work',
    'keeps crashing',
    'is very slow',
    'shows error',
    'cannot be opened',
    'was charged twice',
    'is missing',
    'stopped syncing',
    'will not install',
    'disconnects every hour',
  ],
  openers: ['Urgent:', 'Re:', 'Fwd:', 'Question about', 'Problem with', 'Help needed:', '', '', '', ''],
  sentences: [
    'Hello, since this morning nothing works as it should.',
    'We tried restarting the device twice, without success.',
    'Could you please look into this as soon as possible?',
    'The error message says E-42 and then the window closes.',
    'This affects the whole team of twelve people in our office.',
    'I attached a screenshot of what we see on the screen.',
    'Our order number is in the subject line.',
    'Thank you in advance for your help.',
    'It worked fine until the update last Tuesday.',
    'Please call me back on my mobile if that is easier.',
  ],
  first: ['John', 'Mary', 'Peter', 'Linda', 'James', 'Emma', 'David', 'Olivia', 'Michael', 'Sophie'],
  last: ['Smith', 'Brown', 'Taylor', 'Wilson', 'Evans', 'Johnson', 'Walker', 'Wright', 'Green', 'Hall'],
  domains: ['example.com', 'acme.co.uk', 'contoso.com', 'fabrikam.net', 'northwind.io'],
};
const PL = {
  things: [
    'drukarka',
    'faktura',
    'laptop',
    'hasło',
    'licencja',
    'router',
    'raport',
    'skrzynka pocztowa',
    'zamówienie',
    'dostawa',
    'zwrot',
    'konto',
    'monitor',
    'kopia zapasowa',
    'aktualizacja',
  ],
  problems: [
    'nie działa',
    'ciągle się zawiesza',
    'działa bardzo wolno',
    'pokazuje błąd',
    'nie chce się otworzyć',
    'została pobrana dwa razy',
    'zniknęła',
    'nie synchronizuje się',
    'nie instaluje się',
  ],
  openers: ['Pilne:', 'Odp:', 'Pyt.:', 'Problem z:', 'Prośba o pomoc:', 'Reklamacja:', '', '', ''],
  sentences: [
    'Dzień dobry, od rana nic nie działa tak, jak powinno.',
    'Próbowaliśmy dwukrotnie zrestartować urządzenie, bez skutku.',
    'Czy mogliby Państwo przyjrzeć się temu jak najszybciej?',
    'Komunikat błędu to E-42, potem okno się zamyka.',
    'Dotyczy to całego zespołu, dwunastu osób w naszym biurze.',
    'W załączniku przesyłam zrzut ekranu.',
    'Numer zamówienia jest w temacie wiadomości.',
    'Z góry dziękuję za pomoc. Pozdrawiam serdecznie.',
    'Wszystko działało do zeszłotygodniowej aktualizacji.',
  ],
  first: [
    'Anna',
    'Piotr',
    'Katarzyna',
    'Tomasz',
    'Małgorzata',
    'Paweł',
    'Agnieszka',
    'Łukasz',
    'Zofia',
    'Michał',
  ],
  last: [
    'Nowak',
    'Kowalski',
    'Wiśniewska',
    'Wójcik',
    'Kowalczyk',
    'Kamiński',
    'Lewandowska',
    'Zieliński',
    'Szymańska',
    'Dąbrowski',
  ],
  domains: ['example.pl', 'firma.pl', 'sklep.com.pl', 'biuro.pl'],
};
const ZH = {
  things: [
    '打印机',
    '发票',
    '笔记本电脑',
    '密码',
    '许可证',
    '路由器',
    '报表',
    '邮箱',
    '订单',
    '快递',
    '退款',
    '账户',
    '显示器',
    '备份',
    '系统更新',
  ],
  problems: [
    '无法使用',
    '经常崩溃',
    '运行很慢',
    '显示错误',
    '打不开',
    '被重复扣款',
    '不见了',
    '无法同步',
    '安装失败',
  ],
  openers: ['紧急：', '回复：', '转发：', '关于', '求助：', '', '', ''],
  sentences: [
    '您好，从今天早上开始系统就无法正常工作。',
    '我们已经重启了两次设备，但是没有效果。',
    '请尽快帮我们查看一下这个问题。',
    '错误信息显示 E-42，然后窗口就关闭了。',
    '这影响了我们办公室十二个人的工作。',
    '附件是屏幕截图。',
    '订单号在邮件标题里。',
    '提前感谢您的帮助。',
  ],
  first: ['伟', '芳', '娜', '敏', '静', '磊', '军', '洋'],
  last: ['王', '李', '张', '刘', '陈', '杨', '黄', '赵'],
  domains: ['example.cn', 'qiye.com.cn', 'gongsi.cn'],
};
const LANGS = [EN, EN, EN, PL, PL, ZH] as const;
const STATUSES = [
  'New',
  'New',
  'On Hold',
  'Escalated',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
  'Closed',
];
const PRIORITIES = ['High', 'Medium', 'Medium', 'Low', null];
const TYPES = ['Question', 'Problem', 'Problem', 'Feature Request', null];
const REASONS = ['Complex functionality', 'Existing problem', 'Instructions not clear', 'New problem', null];

export interface Sender {
  name: string;
  email: string;
  lang: (typeof LANGS)[number];
}

/** A fixed pool of senders; case i's sender is drawn from it, so each address has a few cases. */
export function senders(count: number, seed = 7): Sender[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const lang = pick(r, LANGS);
    const first = pick(r, lang.first);
    const last = pick(r, lang.last);
    const local =
      lang === ZH
        ? `user${i}`
        : `${first}.${last}.${i}`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z0-9.]/g, '');
    return {
      name: lang === ZH ? `${last}${first}` : `${first} ${last}`,
      email: `${local}@${pick(r, lang.domains)}`,
      lang,
    };
  });
}

export function subject(r: () => number, lang: Sender['lang'], n: number): string {
  const opener = pick(r, lang.openers);
  const core =
    lang === ZH
      ? `${pick(r, lang.things)}${pick(r, lang.problems)}`
      : `${pick(r, lang.things)} ${pick(r, lang.problems)}`;
  const ref =
    r() < 0.3 ? (lang === ZH ? ` 订单 ${100000 + (n % 900000)}` : ` #${100000 + (n % 900000)}`) : '';
  return `${opener ? `${opener} ` : ''}${core}${ref}`.trim();
}

export function body(r: () => number, lang: Sender['lang'], from: string): string {
  const count = 2 + Math.floor(r() * 5);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pick(r, lang.sentences));
  parts.push(`-- \n${from}`);
  return parts.join(lang === ZH ? '' : ' ');
}

export interface CaseRowData {
  id: number;
  case_number: number;
  subject: string;
  status: string;
  priority: string | null;
  case_origin: string;
  type: string | null;
  case_reason: string | null;
  email: string;
  email_lower: string;
  reported_by: string;
  description: string;
  owner_id: number;
  created_time: string;
  modified_time: string;
  created_by_id: number;
  modified_by_id: number;
}

export interface LinkRowData {
  case_id: number;
  internet_message_id: string;
  conversation_id: string;
  item_id: string;
  mailbox: string;
  from_name: string;
  from_email: string;
  to_json: string;
  cc_json: string;
  subject: string;
  sent_time: string;
  body_text: string;
  linked_time: string;
  linked_by_id: number;
}

export const messageIdOf = (caseId: number, k: number) =>
  `m${caseId}.${k}.${(caseId * 2654435761) % 1e9}@mail.bench.example`;
export const conversationIdOf = (caseId: number) =>
  `AAQkAD${(caseId * 40503).toString(36)}-${caseId.toString(36)}`;

const START = Date.parse('2023-01-01T00:00:00Z');
const SPAN = 3 * 365 * 24 * 3600 * 1000;

/**
 * Case `id` (1-based) and its linked messages; deterministic per id, so a chunk can be made anywhere.
 * `userIds` are the agents who own and link cases.
 */
export function caseWithLinks(
  id: number,
  pool: readonly Sender[],
  userIds: readonly number[],
): { row: CaseRowData; links: LinkRowData[] } {
  const r = rng(id * 7919 + 17);
  const sender = pool[Math.floor(r() * pool.length)];
  const created = START + Math.floor((id / 1.05e6) * SPAN) + Math.floor(r() * 3600_000);
  const createdIso = new Date(created).toISOString();
  const modifiedIso = new Date(created + Math.floor(r() * 14 * 86400_000)).toISOString();
  const subj = subject(r, sender.lang, id);
  const text = body(r, sender.lang, sender.name);
  const owner = userIds[Math.floor(r() * userIds.length)];
  const row: CaseRowData = {
    id,
    case_number: id,
    subject: subj,
    status: pick(r, STATUSES),
    priority: pick(r, PRIORITIES),
    case_origin: 'Email',
    type: pick(r, TYPES),
    case_reason: pick(r, REASONS),
    email: sender.email,
    email_lower: sender.email.toLowerCase(),
    reported_by: sender.name,
    description: text,
    owner_id: owner,
    created_time: createdIso,
    modified_time: modifiedIso,
    created_by_id: owner,
    modified_by_id: owner,
  };
  // 1, 2 or 3 messages (mean 2): the customer's first email and the thread's replies.
  const x = r();
  const n = x < 0.25 ? 1 : x < 0.75 ? 2 : 3;
  const links: LinkRowData[] = [];
  for (let k = 0; k < n; k++) {
    const sent = new Date(created + k * 3600_000).toISOString();
    links.push({
      case_id: id,
      internet_message_id: messageIdOf(id, k),
      conversation_id: conversationIdOf(id),
      item_id: `AAMkAG${id.toString(36)}${k}`,
      mailbox: 'support@casepane.example',
      from_name: k % 2 === 0 ? sender.name : 'Support',
      from_email: k % 2 === 0 ? sender.email : 'support@casepane.example',
      to_json: JSON.stringify([{ name: 'Support', email: 'support@casepane.example' }]),
      cc_json: '[]',
      subject: k === 0 ? subj : `Re: ${subj}`,
      sent_time: sent,
      body_text: k === 0 ? text : body(r, sender.lang, k % 2 === 0 ? sender.name : 'Support'),
      linked_time: sent,
      linked_by_id: owner,
    });
  }
  return { row, links };
}

/** A from_email request body for one fresh message (create-throughput runs). */
export function fromEmailBody(runTag: string, n: number, pool: readonly Sender[]): string {
  const r = rng(n * 31 + 5);
  const sender = pool[n % pool.length];
  const subj = subject(r, sender.lang, n);
  const text = body(r, sender.lang, sender.name);
  return JSON.stringify({
    data: [
      {
        case: {
          Subject: subj,
          Case_Origin: 'Email',
          Email: sender.email,
          Reported_By: sender.name,
          Description: text,
          Priority: 'Medium',
        },
        message: {
          internet_message_id: `<${runTag}.${n}@mail.bench.example>`,
          conversation_id: `conv-${runTag}-${n}`,
          from: { name: sender.name, email: sender.email },
          to: [{ name: 'Support', email: 'support@casepane.example' }],
          subject: subj,
          sent_time: '2026-11-20T09:15:00Z',
          body_text: text,
        },
      },
    ],
  });
}
