/**
 * Offline check of the Outlook add-in XML manifest.
 *
 * `office-addin-manifest validate` calls a Microsoft web service, and no npm package ships the
 * manifest XSDs, so this is a structural check: the XML is parsed (with the xml2js that
 * office-addin-manifest itself uses, plus OfficeAddinManifest.readManifestFile as a second reader)
 * and the rules of the schemas and of the Outlook docs that matter for Casepane are asserted:
 * element order of MailApp, ids, resource references, string lengths, VersionOverrides 1.0 > 1.1,
 * the MessageReadCommandSurface button with ShowTaskpane + SupportsPinning, URL origins and
 * AppDomains, and that every icon exists as a PNG of the declared pixel size.
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
function versionAtLeast(version: string | undefined, min: string): boolean {
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
  const voMailbox = childrenNamed(child(child(vo, 'Requirements'), 'Sets'), 'Set').find(
    (s) => s.attrs.Name === 'Mailbox',
  );
  if (vo && !voMailbox) problems.push('VersionOverrides <Requirements> has no Mailbox set');
  facts.permissions = permissions;
  facts.overridesMailboxVersion =
    voMailbox?.attrs.MinVersion ?? child(child(vo, 'Requirements'), 'Sets')?.attrs.DefaultMinVersion;

  // Resources: ids unique per kind, lengths.
  const resources = child(vo, 'Resources');
  const resourceIds = new Map<string, { kind: string; node: XmlNode }>();
  for (const kind of ['Images', 'Urls', 'ShortStrings', 'LongStrings']) {
    for (const item of child(resources, kind)?.children ?? []) {
      const rid = item.attrs.id;
      if (!rid) problems.push(`a resource in <bt:${kind}> has no id`);
      else if (rid.length > 32) problems.push(`resource id "${rid}" is longer than 32 characters`);
      else if (resourceIds.has(rid)) problems.push(`resource id "${rid}" is used twice`);
      else resourceIds.set(rid, { kind, node: item });
      const max = kind === 'ShortStrings' ? 125 : kind === 'LongStrings' ? 250 : 2048;
      const values = [item.attrs.DefaultValue, ...childrenNamed(item, 'Override').map((o) => o.attrs.Value)];
      if (values.some((v) => !v || v.length > max))
        problems.push(`resource "${rid}" has an empty value or one over ${max} characters`);
    }
  }

  // Every resid points at a resource of the right kind.
  const residKind: Record<string, string> = {
    Label: 'ShortStrings',
    Title: 'ShortStrings',
    Description: 'LongStrings',
    Image: 'Images',
    SourceLocation: 'Urls',
    FunctionFile: 'Urls',
  };
  const controlIds = new Set<string>();
  if (vo) {
    for (const node of walk(vo)) {
      const resid = node.attrs.resid;
      if (resid !== undefined) {
        const target = resourceIds.get(resid);
        const expected = residKind[local(node.name)];
        if (!target) problems.push(`<${node.name} resid="${resid}"> refers to no resource`);
        else if (expected && target.kind !== expected)
          problems.push(
            `<${node.name} resid="${resid}"> refers to a ${target.kind} resource, expected ${expected}`,
          );
      }
      // Group, Control and custom tab ids are the add-in's own and unique; an OfficeTab id names a built-in tab.
      if (['Group', 'Control', 'CustomTab'].includes(local(node.name))) {
        const cid = node.attrs.id;
        if (!cid || cid.length > 125) problems.push(`<${node.name}> needs an id of 1..125 characters`);
        else if (controlIds.has(cid)) problems.push(`id "${cid}" is used by two groups or controls`);
        else controlIds.add(cid);
      }
    }
  }

  // The read-ribbon button opening the pinnable task pane.
  const host = childrenNamed(child(vo, 'Hosts'), 'Host').find((h) => h.attrs['xsi:type'] === 'MailHost');
  const desktop = child(host, 'DesktopFormFactor');
  if (desktop) problems.push(...sequenceProblems(desktop, DESKTOP_SEQUENCE, '<DesktopFormFactor>'));
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
  if (vo) {
    for (const img of [...walk(vo)].filter(
      (n) => local(n.name) === 'Image' && n.attrs.size && n.attrs.resid,
    )) {
      iconChecks.push({
        url: resourceIds.get(img.attrs.resid)?.node.attrs.DefaultValue,
        size: Number(img.attrs.size),
        what: `bt:Image ${img.attrs.resid}`,
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
      `${file}: valid (offline structural check). Id ${facts.id}, origin ${facts.origin}, ${facts.icons.length} icons, ${facts.urls.length} URLs, permissions ${facts.permissions}, pinning ${facts.supportsPinning}, multi-select ${facts.supportsMultiSelect}, no-item context ${facts.supportsNoItemContext}, shared folders ${facts.supportsSharedFolders}`,
    );
  });
}
