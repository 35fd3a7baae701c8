/**
 * Offline check of the Outlook add-in XML manifest.
 *
 * `office-addin-manifest validate` calls a Microsoft web service, and no npm package ships the
 * manifest XSDs, so this is a structural check: the XML is parsed (with the xml2js that
 * office-addin-manifest itself uses, plus OfficeAddinManifest.readManifestFile as a second reader)
 * and the rules of the schemas and of the Outlook docs that matter for Casepane are asserted:
 * element order of MailApp, ids, resource references, string lengths, VersionOverrides 1.0 > 1.1,
 * the MessageReadCommandSurface button with ShowTaskpane + SupportsPinning, URL origins and
 * AppDomains, and that every icon exists as a PNG of the declared pixel size. The outer
 * VersionOverrides V1_0 is checked on its own too (a child VersionOverrides inherits nothing, and
 * clients below the V1_1 requirements fall back to it): its own Resources agreeing with the V1_1
 * ones, V1_0 element order, and a read-mode button opening the same task pane URL.
 *
 * CLI: npx tsx scripts/validate-manifest.ts [manifest.xml] [--origin https://host] [--assets dir]
 * Exits 1 and lists the problems when there are any.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The XML reader behind OfficeAddinManifest.readManifestFile(), imported directly: the package's main
// module also loads the JSON-manifest tooling (ESM-only dependencies that jest cannot require).
import { ManifestHandlerXml } from 'office-addin-manifest/lib/manifestHandler/manifestHandlerXml';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export interface ValidateOptions {
  /** Every http(s) URL in the manifest must be on this origin. Default: the origin of the task pane URL. */
  origin?: string;
  /** Folder the /assets/ URLs map to (checks existence and pixel size). Default: <repo>/assets. */
  assetsDir?: string;
}

export interface ValidationResult {
  problems: string[];
  /** Facts found on the way, for tests and the CLI summary. */
  facts: {
    id?: string;
    origin?: string;
    taskpaneUrl?: string;
    commandsUrl?: string;
    supportsPinning?: boolean;
    /** A ShowTaskpane button on the compose surface. */
    composePane?: boolean;
    permissions?: string;
    /** The Mailbox version the VersionOverrides V1_1 requires (its set's MinVersion, else the Sets' DefaultMinVersion). */
    overridesMailboxVersion?: string;
    /** DesktopFormFactor's SupportsSharedFolders (shared folders 1.8, shared mailboxes 1.13). */
    supportsSharedFolders?: boolean;
    /** The read-surface pane's SupportsMultiSelect / SupportsNoItemContext (Mailbox 1.13). */
    supportsMultiSelect?: boolean;
    supportsNoItemContext?: boolean;
    mailboxMinVersion?: string;
    /** The outer VersionOverrides V1_0 (the fallback of clients below the V1_1 requirements): the task pane URL of
     * its message-read button, whether it has a compose-mode pane button, and the Mailbox version it requires. */
    fallbackTaskpaneUrl?: string;
    fallbackComposePane?: boolean;
    fallbackMailboxVersion?: string;
    /** Outlook on iOS and Android: the pane its MobileMessageReadCommandSurface button opens, and its icons as size@scale. */
    mobileTaskpaneUrl?: string;
    mobileIcons?: string[];
    /** Event-based activation: the runtime's HTML page, its JavaScript-only override (classic Outlook on Windows), and
     * each LaunchEvent as Type → FunctionName (and SendMode for the send events). */
    launchRuntimeUrl?: string;
    launchScriptUrl?: string;
    launchEvents?: { type: string; functionName: string; sendMode?: string }[];
    icons: { url: string; size: number; file: string }[];
    urls: string[];
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NS_OFFICEAPP = 'http://schemas.microsoft.com/office/appforoffice/1.1';
const NS_VO = 'http://schemas.microsoft.com/office/mailappversionoverrides';
const NS_VO11 = 'http://schemas.microsoft.com/office/mailappversionoverrides/1.1';
const PERMISSIONS = ['Restricted', 'ReadItem', 'ReadWriteItem', 'ReadWriteMailbox'];
/** Child sequence of DesktopFormFactor in mailappversionoverrides/1.1 (GetStarted is for Word/Excel/PowerPoint only). */
const DESKTOP_SEQUENCE = ['SupportsSharedFolders', 'FunctionFile', 'ExtensionPoint'];
/** Child sequence of the ShowTaskpane action in mailappversionoverrides/1.1 ([MS-OWEMXML] ShowTaskpane). */
const SHOW_TASKPANE_SEQUENCE = [
  'SourceLocation',
  'SupportsPinning',
  'SupportsNoItemContext',
  'SupportsMultiSelect',
];

/** Child sequence of VersionOverridesV1_0 in mailappversionoverrides ([MS-OWEMXML] VersionOverridesV1_0). */
const VO10_SEQUENCE = ['Description', 'Requirements', 'Hosts', 'Resources', 'VersionOverrides'];
/** Child sequence of DesktopFormFactor in mailappversionoverrides 1.0 ([MS-OWEMXML] FormFactor): no SupportsSharedFolders. */
const VO10_DESKTOP_SEQUENCE = ['FunctionFile', 'ExtensionPoint'];
/** ShowTaskpane in mailappversionoverrides 1.0 has SourceLocation only (pinning, no-item context and multi-select are V1_1). */
const VO10_SHOW_TASKPANE_SEQUENCE = ['SourceLocation'];
/** Add-in commands (VersionOverrides V1_0) need Mailbox 1.3. */
const ADDIN_COMMANDS_MAILBOX = '1.3';

/** Problems with the order (and membership) of a node's children against an XSD sequence; repeats of the same name are fine. */
function sequenceProblems(node: XmlNode, sequence: string[], what: string): string[] {
  const problems: string[] = [];
  let last = -1;
  for (const c of node.children) {
    const name = local(c.name);
    const pos = sequence.indexOf(name);
    if (pos < 0)
      problems.push(`<${name}> is not allowed in ${what} (allowed, in order: ${sequence.join(', ')})`);
    else if (pos < last)
      problems.push(`<${name}> is out of order in ${what} (schema sequence: ${sequence.join(', ')})`);
    else last = pos;
  }
  return problems;
}

/** "1.13" >= "1.5" compared as versions, not decimals. */
export function versionAtLeast(version: string | undefined, min: string): boolean {
  if (!version || !/^\d+(\.\d+)*$/.test(version)) return false;
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** The sequence of OfficeApp children for xsi:type="MailApp" (OfficeAppManifestV1_1.xsd). */
const MAILAPP_SEQUENCE = [
  'Id',
  'AlternateId',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'HighResolutionIconUrl',
  'SupportUrl',
  'AppDomains',
  'Hosts',
  'Requirements',
  'FormSettings',
  'Permissions',
  'Rule',
  'DisableEntityHighlighting',
  'VersionOverrides',
];
const MAILAPP_REQUIRED = [
  'Id',
  'Version',
  'ProviderName',
  'DefaultLocale',
  'DisplayName',
  'Description',
  'IconUrl',
  'Hosts',
  'Requirements',
  'FormSettings',
  'Permissions',
  'Rule',
];

// xml2js is what office-addin-manifest parses manifests with; resolve it through that package.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require(require.resolve('xml2js', { paths: [require.resolve('office-addin-manifest')] })) as {
  parseStringPromise(xml: string, options: Record<string, unknown>): Promise<Record<string, unknown>>;
};

interface RawNode {
  '#name': string;
  $?: Record<string, string>;
  $$?: RawNode[];
  _?: string;
}

function toNode(raw: RawNode): XmlNode {
  return {
    name: raw['#name'],
    attrs: raw.$ ?? {},
    children: (raw.$$ ?? []).filter((c) => c['#name'] !== '__comment__').map(toNode),
    text: typeof raw._ === 'string' ? raw._.trim() : '',
  };
}

export async function parseXml(xml: string): Promise<XmlNode> {
  const parsed = await xml2js.parseStringPromise(xml, {
    explicitChildren: true,
    preserveChildrenOrder: true,
    explicitRoot: true,
    charkey: '_',
  });
  const [rootName] = Object.keys(parsed);
  const root = parsed[rootName] as RawNode;
  root['#name'] = rootName;
  return toNode(root);
}

/** Local name without a namespace prefix (bt:Image -> Image). */
const local = (name: string) => name.replace(/^.*:/, '');
const child = (n: XmlNode | undefined, name: string) => n?.children.find((c) => local(c.name) === name);
const childrenNamed = (n: XmlNode | undefined, name: string) =>
  n ? n.children.filter((c) => local(c.name) === name) : [];
function* walk(n: XmlNode): Generator<XmlNode> {
  yield n;
  for (const c of n.children) yield* walk(c);
}
/** The nodes of one VersionOverrides level, without descending into a nested VersionOverrides. */
function* walkOwn(n: XmlNode): Generator<XmlNode> {
  yield n;
  for (const c of n.children) if (local(c.name) !== 'VersionOverrides') yield* walkOwn(c);
}

type ResourceMap = Map<string, { kind: string; node: XmlNode }>;
const RESOURCE_KINDS = ['Images', 'Urls', 'ShortStrings', 'LongStrings'];
/** Which resource kind each resid-carrying element must point at. */
const RESID_KIND: Record<string, string> = {
  Label: 'ShortStrings',
  Title: 'ShortStrings',
  Description: 'LongStrings',
  Image: 'Images',
  SourceLocation: 'Urls',
  FunctionFile: 'Urls',
  Runtime: 'Urls',
  Override: 'Urls',
};

/** The <Resources> of one VersionOverrides level: ids unique, at most 32 characters, values of the allowed length. */
function collectResources(vo: XmlNode | undefined, prefix: string, problems: string[]): ResourceMap {
  const resourceIds: ResourceMap = new Map();
  const resources = child(vo, 'Resources');
  for (const kind of RESOURCE_KINDS) {
    for (const item of child(resources, kind)?.children ?? []) {
      const rid = item.attrs.id;
      if (!rid) problems.push(`${prefix}a resource in <bt:${kind}> has no id`);
      else if (rid.length > 32) problems.push(`${prefix}resource id "${rid}" is longer than 32 characters`);
      else if (resourceIds.has(rid)) problems.push(`${prefix}resource id "${rid}" is used twice`);
      else resourceIds.set(rid, { kind, node: item });
      const max = kind === 'ShortStrings' ? 125 : kind === 'LongStrings' ? 250 : 2048;
      const values = [item.attrs.DefaultValue, ...childrenNamed(item, 'Override').map((o) => o.attrs.Value)];
      if (values.some((v) => !v || v.length > max))
        problems.push(`${prefix}resource "${rid}" has an empty value or one over ${max} characters`);
    }
  }
  return resourceIds;
}

/** Every resid of one VersionOverrides level resolves in that level's own Resources, with the right kind; group
 * and control ids are unique within the level (the V1_0 fallback repeats the V1_1 ids, as Microsoft's samples do). */
function residProblems(vo: XmlNode, resourceIds: ResourceMap, prefix: string): string[] {
  const problems: string[] = [];
  const controlIds = new Set<string>();
  for (const node of walkOwn(vo)) {
    const resid = node.attrs.resid;
    if (resid !== undefined) {
      const target = resourceIds.get(resid);
      const expected = RESID_KIND[local(node.name)];
      if (!target) problems.push(`${prefix}<${node.name} resid="${resid}"> refers to no resource`);
      else if (expected && target.kind !== expected)
        problems.push(
          `${prefix}<${node.name} resid="${resid}"> refers to a ${target.kind} resource, expected ${expected}`,
        );
    }
    // Group, Control and custom tab ids are the add-in's own and unique; an OfficeTab id names a built-in tab.
    if (['Group', 'Control', 'CustomTab'].includes(local(node.name))) {
      const cid = node.attrs.id;
      if (!cid || cid.length > 125) problems.push(`${prefix}<${node.name}> needs an id of 1..125 characters`);
      else if (controlIds.has(cid)) problems.push(`${prefix}id "${cid}" is used by two groups or controls`);
      else controlIds.add(cid);
    }
  }
  return problems;
}

/** MobileIconList: sizes 25, 32 and 48, each at scales 1, 2 and 3 (https://learn.microsoft.com/javascript/api/manifest/icon). */
const MOBILE_ICONS = ['25@1', '25@2', '25@3', '32@1', '32@2', '32@3', '48@1', '48@2', '48@3'];
const MOBILE_SEQUENCE = ['FunctionFile', 'ExtensionPoint'];

/** Launch events need Mailbox 1.10 (OnNewMessageCompose) and 1.12 (OnMessageSend, Smart Alerts); https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch. */
const LAUNCH_EVENT_SETS: Record<string, string> = { OnNewMessageCompose: '1.10', OnMessageSend: '1.12' };
const SEND_MODES = ['PromptUser', 'SoftBlock', 'Block'];

/**
 * Event-based activation: LaunchEvents only in a VersionOverridesV1_1 that requires the events' sets, their
 * SourceLocation the runtime's page, that runtime with a JavaScript-only Override (classic Outlook on Windows runs
 * only that file), and a SendMode on the send event (MS-OWEMXML LaunchEventSendMode).
 */
function launchEventProblems(
  host: XmlNode | undefined,
  ids: ResourceMap,
  facts: ValidationResult['facts'],
  isV11: boolean,
): string[] {
  const problems: string[] = [];
  const desktop = child(host, 'DesktopFormFactor');
  const point = childrenNamed(desktop, 'ExtensionPoint').find((e) => e.attrs['xsi:type'] === 'LaunchEvent');
  const runtime = child(child(host, 'Runtimes'), 'Runtime');
  if (!point) {
    if (runtime) problems.push('<Runtimes> without an <ExtensionPoint xsi:type="LaunchEvent"> runs nothing');
    return problems;
  }
  if (!isV11) problems.push('LaunchEvent is valid only in a VersionOverridesV1_1');
  const url = (resid: string | undefined) => (resid ? ids.get(resid)?.node.attrs.DefaultValue : undefined);
  facts.launchEvents = childrenNamed(child(point, 'LaunchEvents'), 'LaunchEvent').map((e) => ({
    type: e.attrs.Type ?? '',
    functionName: e.attrs.FunctionName ?? '',
    ...(e.attrs.SendMode ? { sendMode: e.attrs.SendMode } : {}),
  }));
  for (const e of facts.launchEvents) {
    const set = LAUNCH_EVENT_SETS[e.type];
    if (!set) problems.push(`LaunchEvent Type "${e.type}" is not one Casepane handles`);
    else if (!versionAtLeast(facts.overridesMailboxVersion, set))
      problems.push(
        `${e.type} needs Mailbox ${set}, the VersionOverrides require ${facts.overridesMailboxVersion}`,
      );
    if (!/^[A-Za-z_$][\w$]*$/.test(e.functionName))
      problems.push(`LaunchEvent ${e.type} has no valid FunctionName`);
    if (e.type === 'OnMessageSend' && !SEND_MODES.includes(e.sendMode ?? ''))
      problems.push(`OnMessageSend needs SendMode PromptUser, SoftBlock or Block, not "${e.sendMode ?? ''}"`);
  }
  const source = child(point, 'SourceLocation')?.attrs.resid;
  if (!runtime) problems.push('a LaunchEvent extension point needs a <Runtimes><Runtime> in its <Host>');
  else if (runtime.attrs.resid !== source)
    problems.push('the LaunchEvent SourceLocation is not the resid of the <Runtime>');
  facts.launchRuntimeUrl = url(runtime?.attrs.resid);
  const script = childrenNamed(runtime, 'Override').find((o) => o.attrs.type === 'javascript');
  facts.launchScriptUrl = url(script?.attrs.resid);
  if (runtime && !facts.launchScriptUrl)
    problems.push(
      'the launch-event <Runtime> has no <Override type="javascript"> for classic Outlook on Windows',
    );
  else if (facts.launchScriptUrl && !/\.js$/.test(facts.launchScriptUrl))
    problems.push(`the JavaScript-only runtime ${facts.launchScriptUrl} is not a .js file`);
  return problems;
}

/** The V1_1 MobileFormFactor: a read-surface MobileButton opening the task pane, with the mobile icon set. */
function mobileProblems(
  host: XmlNode | undefined,
  ids: ResourceMap,
  facts: ValidationResult['facts'],
): string[] {
  const mobile = child(host, 'MobileFormFactor');
  const surface = childrenNamed(mobile, 'ExtensionPoint').find(
    (e) => e.attrs['xsi:type'] === 'MobileMessageReadCommandSurface',
  );
  if (!mobile || !surface)
    return [
      'no <MobileFormFactor> with a MobileMessageReadCommandSurface: Outlook on iOS and Android get no Casepane button',
    ];
  const problems = sequenceProblems(mobile, MOBILE_SEQUENCE, '<MobileFormFactor>');
  const button = [...walk(surface)].find(
    (n) =>
      local(n.name) === 'Control' &&
      n.attrs['xsi:type'] === 'MobileButton' &&
      child(n, 'Action')?.attrs['xsi:type'] === 'ShowTaskpane',
  );
  if (!button) return [...problems, 'the mobile read surface has no MobileButton with a ShowTaskpane action'];
  const src = child(child(button, 'Action'), 'SourceLocation')?.attrs.resid;
  facts.mobileTaskpaneUrl = src ? ids.get(src)?.node.attrs.DefaultValue : undefined;
  if (facts.mobileTaskpaneUrl !== facts.taskpaneUrl)
    problems.push(`the mobile button opens ${facts.mobileTaskpaneUrl ?? 'nothing'}, not the task pane`);
  const icon = child(button, 'Icon');
  facts.mobileIcons = childrenNamed(icon, 'Image')
    .map((i) => `${i.attrs.size}@${i.attrs.scale}`)
    .sort();
  if (icon?.attrs['xsi:type'] !== 'bt:MobileIconList')
    problems.push('the mobile button <Icon> needs xsi:type="bt:MobileIconList"');
  if (facts.mobileIcons.join(',') !== MOBILE_ICONS.join(','))
    problems.push(
      `the mobile button icons are ${facts.mobileIcons.join(', ')}, expected sizes 25, 32 and 48 at scales 1, 2 and 3`,
    );
  return problems;
}

/** The Mailbox version a VersionOverrides' <Requirements> asks for (its set's MinVersion, else DefaultMinVersion). */
function overridesMailbox(vo: XmlNode | undefined): { declared: boolean; version?: string } {
  const sets = child(child(vo, 'Requirements'), 'Sets');
  const set = childrenNamed(sets, 'Set').find((s) => s.attrs.Name === 'Mailbox');
  return {
    declared: !!set,
    version: set ? (set.attrs.MinVersion ?? sets?.attrs.DefaultMinVersion) : undefined,
  };
}

/** A resource's value with its overrides, to compare the same id across VersionOverrides levels. */
const resourceValue = (node: XmlNode) =>
  JSON.stringify([
    node.attrs.DefaultValue,
    ...childrenNamed(node, 'Override').map((o) => `${o.attrs.Locale}=${o.attrs.Value}`),
  ]);

/** Width and height of a PNG file, or undefined when it is not a PNG. */
export function pngSize(buf: Buffer): { width: number; height: number } | undefined {
  const sig = '89504e470d0a1a0a';
  if (
    buf.length < 24 ||
    buf.subarray(0, 8).toString('hex') !== sig ||
    buf.subarray(12, 16).toString('ascii') !== 'IHDR'
  )
    return undefined;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

export async function validateManifest(
  manifestPath: string,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const problems: string[] = [];
  const facts: ValidationResult['facts'] = { icons: [], urls: [] };
  const assetsDir = options.assetsDir ?? resolve(__dirname, '..', 'assets');

  let root: XmlNode;
  try {
    root = await parseXml(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    return { problems: [`not well-formed XML: ${(err as Error).message}`], facts };
  }

  // Second reader: the one Office tooling uses (sideloading, `office-addin-manifest info`).
  try {
    const info = await new ManifestHandlerXml(manifestPath).parseManifest();
    if (info.officeAppType !== 'MailApp')
      problems.push(`office-addin-manifest reads the app type as ${info.officeAppType}, expected MailApp`);
    if (!info.hosts?.includes('Mailbox')) problems.push('office-addin-manifest finds no Mailbox host');
  } catch (err) {
    problems.push(`office-addin-manifest cannot read the manifest: ${(err as Error).message}`);
  }

  // Root element.
  if (root.name !== 'OfficeApp') problems.push(`root element is <${root.name}>, expected <OfficeApp>`);
  if (root.attrs.xmlns !== NS_OFFICEAPP)
    problems.push(`OfficeApp xmlns is ${root.attrs.xmlns}, expected ${NS_OFFICEAPP}`);
  if (root.attrs['xsi:type'] !== 'MailApp')
    problems.push(`OfficeApp xsi:type is ${root.attrs['xsi:type']}, expected MailApp`);

  // Order and presence of the MailApp children.
  const names = root.children.map((c) => c.name);
  for (const required of MAILAPP_REQUIRED)
    if (!names.includes(required)) problems.push(`<${required}> is missing`);
  let last = -1;
  for (const name of names) {
    const pos = MAILAPP_SEQUENCE.indexOf(name);
    if (pos < 0) problems.push(`<${name}> is not allowed in a MailApp manifest`);
    else if (pos <= last)
      problems.push(`<${name}> is out of order (schema sequence: ${MAILAPP_SEQUENCE.join(', ')})`);
    else last = pos;
  }

  const id = child(root, 'Id')?.text;
  facts.id = id;
  if (!id || !GUID.test(id)) problems.push(`<Id> "${id}" is not a GUID`);
  const version = child(root, 'Version')?.text;
  if (!version || !/^\d{1,5}(\.\d{1,5}){0,3}$/.test(version))
    problems.push(`<Version> "${version}" is not n.n.n.n`);
  const provider = child(root, 'ProviderName')?.text ?? '';
  if (!provider || provider.length > 125) problems.push('<ProviderName> must have 1..125 characters');
  const displayName = child(root, 'DisplayName');
  if (!displayName?.attrs.DefaultValue || displayName.attrs.DefaultValue.length > 125)
    problems.push('<DisplayName DefaultValue> must have 1..125 characters');
  const description = child(root, 'Description');
  if (!description?.attrs.DefaultValue || description.attrs.DefaultValue.length > 250)
    problems.push('<Description DefaultValue> must have 1..250 characters');
  for (const el of [displayName, description]) {
    for (const o of childrenNamed(el, 'Override')) {
      if (!o.attrs.Locale || !o.attrs.Value)
        problems.push(`<${el?.name}> has an <Override> without Locale or Value`);
      else if (o.attrs.Value.length > (el === displayName ? 125 : 250))
        problems.push(`<${el?.name}> override ${o.attrs.Locale} is too long`);
    }
  }

  // Hosts and requirements.
  if (!childrenNamed(child(root, 'Hosts'), 'Host').some((h) => h.attrs.Name === 'Mailbox'))
    problems.push('<Hosts> has no <Host Name="Mailbox"/>');
  const mailboxSet = childrenNamed(child(child(root, 'Requirements'), 'Sets'), 'Set').find(
    (s) => s.attrs.Name === 'Mailbox',
  );
  facts.mailboxMinVersion = mailboxSet?.attrs.MinVersion;
  if (!mailboxSet) problems.push('<Requirements> has no Mailbox set');
  else if (!versionAtLeast(mailboxSet.attrs.MinVersion, '1.5'))
    problems.push(`Mailbox MinVersion is ${mailboxSet.attrs.MinVersion}, need 1.5 or later`);

  // Read form.
  const readForm = childrenNamed(child(root, 'FormSettings'), 'Form').find(
    (f) => f.attrs['xsi:type'] === 'ItemRead',
  );
  const readSource = child(child(readForm, 'DesktopSettings'), 'SourceLocation')?.attrs.DefaultValue;
  if (!readSource) problems.push('<FormSettings> has no ItemRead form with DesktopSettings/SourceLocation');
  const permissions = child(root, 'Permissions')?.text;
  if (!permissions || !PERMISSIONS.includes(permissions))
    problems.push(`<Permissions> "${permissions}" is not one of ${PERMISSIONS.join(', ')}`);
  const rule = child(root, 'Rule');
  const readRules = rule
    ? [...walk(rule)].filter((r) => r.attrs['xsi:type'] === 'ItemIs' && r.attrs.ItemType === 'Message')
    : [];
  if (readRules.length === 0)
    problems.push('<Rule> does not activate on messages (ItemIs ItemType="Message")');

  // VersionOverrides 1.0 wrapping 1.1.
  const vo10 = child(root, 'VersionOverrides');
  const vo11 = child(vo10, 'VersionOverrides');
  if (!vo10 || vo10.attrs.xmlns !== NS_VO || vo10.attrs['xsi:type'] !== 'VersionOverridesV1_0')
    problems.push('no <VersionOverrides> V1_0 in the mailappversionoverrides namespace');
  if (!vo11 || vo11.attrs.xmlns !== NS_VO11 || vo11.attrs['xsi:type'] !== 'VersionOverridesV1_1')
    problems.push('no nested <VersionOverrides> V1_1 in the mailappversionoverrides/1.1 namespace');
  const vo = vo11 ?? vo10;
  const voMailbox = overridesMailbox(vo);
  if (vo && !voMailbox.declared) problems.push('VersionOverrides <Requirements> has no Mailbox set');
  facts.permissions = permissions;
  facts.overridesMailboxVersion = voMailbox.version;

  // Resources (ids unique per kind, lengths) and resids of the V1_1 overrides, which inherit nothing from the V1_0 ones.
  const resourceIds = collectResources(vo, '', problems);
  if (vo) problems.push(...residProblems(vo, resourceIds, ''));

  // The read-ribbon button opening the pinnable task pane.
  const host = childrenNamed(child(vo, 'Hosts'), 'Host').find((h) => h.attrs['xsi:type'] === 'MailHost');
  const desktop = child(host, 'DesktopFormFactor');
  if (desktop) problems.push(...sequenceProblems(desktop, DESKTOP_SEQUENCE, '<DesktopFormFactor>'));
  if (host)
    problems.push(
      ...sequenceProblems(host, ['Runtimes', 'DesktopFormFactor', 'MobileFormFactor'], '<Host> MailHost'),
    );
  problems.push(...launchEventProblems(host, resourceIds, facts, vo === vo11));
  const sharedFolders = child(desktop, 'SupportsSharedFolders');
  facts.supportsSharedFolders = sharedFolders?.text === 'true';
  if (sharedFolders && !['true', 'false'].includes(sharedFolders.text))
    problems.push(`<SupportsSharedFolders> is "${sharedFolders.text}", expected true or false`);
  if (sharedFolders && vo !== vo11)
    problems.push('<SupportsSharedFolders> is valid only in a VersionOverridesV1_1');
  if (facts.supportsSharedFolders && !versionAtLeast(facts.overridesMailboxVersion, '1.8'))
    problems.push(
      `SupportsSharedFolders needs Mailbox 1.8 (shared folders; 1.13 for shared mailboxes), the VersionOverrides require ${facts.overridesMailboxVersion}`,
    );
  const functionFile = child(desktop, 'FunctionFile')?.attrs.resid;
  facts.commandsUrl = functionFile ? resourceIds.get(functionFile)?.node.attrs.DefaultValue : undefined;
  if (!functionFile) problems.push('<DesktopFormFactor> has no <FunctionFile>');
  const readSurface = childrenNamed(desktop, 'ExtensionPoint').find(
    (e) => e.attrs['xsi:type'] === 'MessageReadCommandSurface',
  );
  if (!readSurface) problems.push('no <ExtensionPoint xsi:type="MessageReadCommandSurface">');
  const buttons = readSurface
    ? [...walk(readSurface)].filter((n) => local(n.name) === 'Control' && n.attrs['xsi:type'] === 'Button')
    : [];
  const paneButton = buttons.find((b) => child(b, 'Action')?.attrs['xsi:type'] === 'ShowTaskpane');
  if (!paneButton) problems.push('the message-read surface has no Button with a ShowTaskpane action');
  else {
    const action = child(paneButton, 'Action');
    facts.supportsPinning = child(action, 'SupportsPinning')?.text === 'true';
    facts.supportsMultiSelect = child(action, 'SupportsMultiSelect')?.text === 'true';
    facts.supportsNoItemContext = child(action, 'SupportsNoItemContext')?.text === 'true';
    if (!facts.supportsPinning)
      problems.push('the ShowTaskpane action does not have <SupportsPinning>true</SupportsPinning>');
    const src = child(action, 'SourceLocation')?.attrs.resid;
    facts.taskpaneUrl = src ? resourceIds.get(src)?.node.attrs.DefaultValue : undefined;
    if (!facts.taskpaneUrl) problems.push('the ShowTaskpane action has no SourceLocation URL');
    else if (!/\/taskpane\.html$/.test(facts.taskpaneUrl))
      problems.push(`the task pane URL ${facts.taskpaneUrl} does not end in /taskpane.html`);
    const sizes = childrenNamed(child(paneButton, 'Icon'), 'Image')
      .map((i) => i.attrs.size)
      .sort();
    if (sizes.join(',') !== ['16', '32', '80'].sort().join(','))
      problems.push(`the button icon sizes are ${sizes.join(',')}, expected 16, 32 and 80`);
    const label = child(paneButton, 'Label')?.attrs.resid;
    if (label && resourceIds.get(label)?.node.attrs.DefaultValue !== 'Casepane')
      problems.push('the task pane button is not labelled "Casepane"');
  }

  if (vo === vo11) problems.push(...mobileProblems(host, resourceIds, facts));

  // Every ShowTaskpane action: the schema's child order, boolean values, and what each flag needs.
  for (const point of childrenNamed(desktop, 'ExtensionPoint')) {
    const surface = point.attrs['xsi:type'];
    for (const action of [...walk(point)].filter(
      (n) => local(n.name) === 'Action' && n.attrs['xsi:type'] === 'ShowTaskpane',
    )) {
      problems.push(
        ...sequenceProblems(action, SHOW_TASKPANE_SEQUENCE, `the ShowTaskpane action of ${surface}`),
      );
      for (const flag of SHOW_TASKPANE_SEQUENCE.slice(1)) {
        const el = child(action, flag);
        if (el && !['true', 'false'].includes(el.text))
          problems.push(`<${flag}> on ${surface} is "${el.text}", expected true or false`);
      }
      const on = (flag: string) => child(action, flag)?.text === 'true';
      if (on('SupportsNoItemContext') && surface !== 'MessageReadCommandSurface')
        problems.push(
          `SupportsNoItemContext is only allowed on MessageReadCommandSurface, not on ${surface}`,
        );
      if (
        on('SupportsMultiSelect') &&
        !['MessageReadCommandSurface', 'MessageComposeCommandSurface'].includes(surface)
      )
        problems.push(`SupportsMultiSelect applies to messages only, not to ${surface}`);
      for (const flag of ['SupportsNoItemContext', 'SupportsMultiSelect'])
        if (on(flag) && !versionAtLeast(facts.overridesMailboxVersion, '1.13'))
          problems.push(
            `${flag} needs a VersionOverridesV1_1 that requires Mailbox 1.13, it requires ${facts.overridesMailboxVersion}`,
          );
      if (on('SupportsMultiSelect') && permissions !== 'ReadWriteMailbox')
        problems.push(
          `item multi-select needs ReadWriteMailbox permission, the manifest asks for ${permissions}`,
        );
    }
  }

  // Compose surface (optional): its pane needs ReadWriteItem, and Outlook pins only read-mode panes.
  const composeSurface = childrenNamed(desktop, 'ExtensionPoint').find(
    (e) => e.attrs['xsi:type'] === 'MessageComposeCommandSurface',
  );
  facts.composePane = false;
  if (composeSurface) {
    const composeActions = [...walk(composeSurface)].filter(
      (n) => local(n.name) === 'Action' && n.attrs['xsi:type'] === 'ShowTaskpane',
    );
    facts.composePane = composeActions.length > 0;
    if (composeActions.some((a) => child(a, 'SupportsPinning')))
      problems.push('SupportsPinning is only supported on the message-read surface, not in compose');
    if (permissions === 'Restricted' || permissions === 'ReadItem')
      problems.push(
        `a compose-mode pane needs ReadWriteItem permission, the manifest asks for ${permissions}`,
      );
    if (!(
      readForm &&
      childrenNamed(child(root, 'FormSettings'), 'Form').some((f) => f.attrs['xsi:type'] === 'ItemEdit')
    ))
      problems.push('a compose-mode add-in needs an ItemEdit <Form> in <FormSettings>');
    if (
      !rule ||
      ![...walk(rule)].some((r) => r.attrs['xsi:type'] === 'ItemIs' && r.attrs.FormType === 'Edit')
    )
      problems.push('a compose-mode add-in needs an <Rule xsi:type="ItemIs" FormType="Edit">');
  }

  // The outer VersionOverrides V1_0: Outlook clients below the V1_1 requirements (Mailbox 1.13) ignore the nested V1_1
  // and use this level alone, so it needs its own buttons and Resources, in V1_0's schema (no V1_1-only elements).
  let fallbackResources: ResourceMap | undefined;
  if (vo10 && vo11) {
    const where = 'VersionOverridesV1_0';
    const prefix = `${where}: `;
    problems.push(...sequenceProblems(vo10, VO10_SEQUENCE, `<VersionOverrides> ${where}`));
    fallbackResources = collectResources(vo10, prefix, problems);
    if (!child(vo10, 'Resources'))
      problems.push(
        `${prefix}no <Resources>: a nested VersionOverrides inherits nothing, so V1_0 needs its own (the same ids as V1_1)`,
      );
    problems.push(...residProblems(vo10, fallbackResources, prefix));

    // Requirements: at least add-in commands (1.3), no stricter than the base manifest (else clients in between get
    // no button), and below the V1_1 overrides (else nobody falls back to this level).
    const fallbackMailbox = overridesMailbox(vo10);
    facts.fallbackMailboxVersion = fallbackMailbox.version;
    const fv = fallbackMailbox.version;
    if (fv) {
      if (!versionAtLeast(fv, ADDIN_COMMANDS_MAILBOX))
        problems.push(`${prefix}requires Mailbox ${fv}; add-in commands need ${ADDIN_COMMANDS_MAILBOX}`);
      if (facts.mailboxMinVersion && !versionAtLeast(facts.mailboxMinVersion, fv))
        problems.push(
          `${prefix}requires Mailbox ${fv}, more than the base manifest's ${facts.mailboxMinVersion}: clients in between get no Casepane button`,
        );
      if (facts.overridesMailboxVersion && versionAtLeast(fv, facts.overridesMailboxVersion))
        problems.push(
          `${prefix}requires Mailbox ${fv}, as much as the V1_1 overrides (${facts.overridesMailboxVersion}): no client falls back to it`,
        );
    }

    const fallbackDesktop = child(
      childrenNamed(child(vo10, 'Hosts'), 'Host').find((h) => h.attrs['xsi:type'] === 'MailHost'),
      'DesktopFormFactor',
    );
    const points = childrenNamed(fallbackDesktop, 'ExtensionPoint');
    const paneButtonOf = (surface: string) => {
      const point = points.find((e) => e.attrs['xsi:type'] === surface);
      return point
        ? [...walk(point)].find(
            (n) =>
              local(n.name) === 'Control' &&
              n.attrs['xsi:type'] === 'Button' &&
              child(n, 'Action')?.attrs['xsi:type'] === 'ShowTaskpane',
          )
        : undefined;
    };
    const readButton = paneButtonOf('MessageReadCommandSurface');
    if (!readButton) {
      problems.push(
        `${prefix}no message-read Button with a ShowTaskpane action (Hosts/Host[MailHost]/DesktopFormFactor/ExtensionPoint[MessageReadCommandSurface]): Outlook clients below Mailbox ${facts.overridesMailboxVersion} get no Casepane button`,
      );
    } else {
      const src = child(child(readButton, 'Action'), 'SourceLocation')?.attrs.resid;
      facts.fallbackTaskpaneUrl = src ? fallbackResources.get(src)?.node.attrs.DefaultValue : undefined;
      if (!facts.fallbackTaskpaneUrl)
        problems.push(`${prefix}the message-read ShowTaskpane action has no SourceLocation URL`);
      else if (facts.taskpaneUrl && facts.fallbackTaskpaneUrl !== facts.taskpaneUrl)
        problems.push(
          `${prefix}the message-read button opens ${facts.fallbackTaskpaneUrl}, the V1_1 one ${facts.taskpaneUrl}`,
        );
      const sizes = childrenNamed(child(readButton, 'Icon'), 'Image')
        .map((i) => i.attrs.size)
        .sort();
      if (sizes.join(',') !== ['16', '32', '80'].sort().join(','))
        problems.push(`${prefix}the button icon sizes are ${sizes.join(',')}, expected 16, 32 and 80`);
    }
    facts.fallbackComposePane = !!paneButtonOf('MessageComposeCommandSurface');
    if (facts.composePane && !facts.fallbackComposePane)
      problems.push(`${prefix}no compose-mode ShowTaskpane button, though the V1_1 overrides have one`);

    if (fallbackDesktop) {
      problems.push(
        ...sequenceProblems(fallbackDesktop, VO10_DESKTOP_SEQUENCE, `<DesktopFormFactor> of ${where}`),
      );
      if (!child(fallbackDesktop, 'FunctionFile'))
        problems.push(`${prefix}<DesktopFormFactor> has no <FunctionFile>`);
      for (const point of points)
        for (const action of [...walk(point)].filter(
          (n) => local(n.name) === 'Action' && n.attrs['xsi:type'] === 'ShowTaskpane',
        ))
          problems.push(
            ...sequenceProblems(
              action,
              VO10_SHOW_TASKPANE_SEQUENCE,
              `the ShowTaskpane action of ${point.attrs['xsi:type']} in ${where} (pinning, no-item context and multi-select are V1_1 only)`,
            ),
          );
    }

    // The same resource id must mean the same thing on both levels (the build retargets both alike).
    for (const [rid, outer] of fallbackResources) {
      const inner = resourceIds.get(rid);
      if (inner && (inner.kind !== outer.kind || resourceValue(inner.node) !== resourceValue(outer.node)))
        problems.push(`resource "${rid}" differs between the V1_0 and the V1_1 <Resources>`);
    }
  }

  // URLs: https, one origin, that origin in AppDomains.
  const urls: string[] = [];
  for (const node of walk(root)) {
    for (const v of [...Object.values(node.attrs), node.text])
      if (/^[a-z]+:\/\//i.test(v) && !v.startsWith('http://schemas.') && !v.startsWith('http://www.w3.org/'))
        urls.push(v);
  }
  facts.urls = urls;
  const origin = options.origin ?? (facts.taskpaneUrl ? new URL(facts.taskpaneUrl).origin : undefined);
  facts.origin = origin;
  for (const u of urls) {
    let parsed: URL;
    try {
      parsed = new URL(u);
    } catch {
      problems.push(`"${u}" is not a valid URL`);
      continue;
    }
    if (parsed.protocol !== 'https:') problems.push(`${u} is not https (Office requires https)`);
    if (origin && parsed.origin !== origin) problems.push(`${u} is not on the add-in origin ${origin}`);
  }
  const appDomains = childrenNamed(child(root, 'AppDomains'), 'AppDomain').map((d) => d.text);
  if (origin && !appDomains.includes(origin)) problems.push(`<AppDomains> does not list ${origin}`);

  // Icons: IconUrl 64, HighResolutionIconUrl 128, and each bt:Image of its declared size.
  const iconChecks: { url: string | undefined; size: number; what: string }[] = [
    { url: child(root, 'IconUrl')?.attrs.DefaultValue, size: 64, what: 'IconUrl' },
    {
      url: child(root, 'HighResolutionIconUrl')?.attrs.DefaultValue,
      size: 128,
      what: 'HighResolutionIconUrl',
    },
  ];
  const levels: { node: XmlNode | undefined; ids: ResourceMap | undefined; prefix: string }[] = [
    { node: vo, ids: resourceIds, prefix: '' },
    { node: vo11 ? vo10 : undefined, ids: fallbackResources, prefix: 'VersionOverridesV1_0 ' },
  ];
  for (const level of levels) {
    if (!level.node || !level.ids) continue;
    for (const img of [...walkOwn(level.node)].filter(
      (n) => local(n.name) === 'Image' && n.attrs.size && n.attrs.resid,
    )) {
      iconChecks.push({
        url: level.ids.get(img.attrs.resid)?.node.attrs.DefaultValue,
        // A MobileIconList image is size x scale pixels (scale 2 of size 25 is a 50-pixel image).
        size: Number(img.attrs.size) * (img.attrs.scale ? Number(img.attrs.scale) : 1),
        what: `${level.prefix}bt:Image ${img.attrs.resid}`,
      });
    }
  }
  for (const { url, size, what } of iconChecks) {
    if (!url) {
      problems.push(`${what} has no URL`);
      continue;
    }
    const m = /\/assets\/([^/?#]+\.png)$/.exec(new URL(url).pathname);
    if (!m) {
      problems.push(`${what} ${url} is not a PNG under /assets/`);
      continue;
    }
    const file = join(assetsDir, m[1]);
    if (!existsSync(file)) {
      problems.push(`${what} ${url}: ${file} does not exist`);
      continue;
    }
    const dim = pngSize(readFileSync(file));
    if (!dim) problems.push(`${what}: ${file} is not a PNG`);
    else if (dim.width !== size || dim.height !== size)
      problems.push(`${what}: ${file} is ${dim.width}x${dim.height}, expected ${size}x${size}`);
    else if (!facts.icons.some((i) => i.url === url)) facts.icons.push({ url, size, file });
  }

  if (readSource && facts.taskpaneUrl && readSource !== facts.taskpaneUrl)
    problems.push(`the read form (${readSource}) and the button (${facts.taskpaneUrl}) open different pages`);

  return { problems, facts };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const origin = opt('--origin');
  const assetsDir = opt('--assets');
  const file = args[0] ?? resolve(__dirname, '..', 'manifest.xml');
  validateManifest(file, { origin, assetsDir }).then(({ problems, facts }) => {
    if (problems.length) {
      console.error(`${file}: ${problems.length} problem(s)`);
      for (const p of problems) console.error(`  - ${p}`);
      process.exit(1);
    }
    console.log(
      `${file}: valid (offline structural check). Id ${facts.id}, origin ${facts.origin}, ${facts.icons.length} icons, ${facts.urls.length} URLs, permissions ${facts.permissions}, pinning ${facts.supportsPinning}, multi-select ${facts.supportsMultiSelect}, no-item context ${facts.supportsNoItemContext}, shared folders ${facts.supportsSharedFolders}; V1_0 fallback (Mailbox ${facts.fallbackMailboxVersion}) read button ${facts.fallbackTaskpaneUrl ?? 'none'}, compose button ${facts.fallbackComposePane}`,
    );
  });
}
