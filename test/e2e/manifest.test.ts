/**
 * Offline manifest checks (the online `office-addin-manifest validate` needs a Microsoft service).
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ManifestHandlerXml } from 'office-addin-manifest/lib/manifestHandler/manifestHandlerXml';
import { validateManifest, pngSize, versionAtLeast } from '../../scripts/validate-manifest';
import { buildManifest, parseOrigin, retargetManifest } from '../../scripts/build-manifest';
import { ICON_SIZES, renderIconPng } from '../../scripts/make-icons';

// office-addin-manifest's XML reader imports uuid (ESM-only since v11, which jest's CommonJS runtime cannot
// load); it is used only to mint new add-in ids, which these tests never do.
jest.mock('uuid', () => ({ v4: () => '00000000-0000-4000-8000-000000000000' }));

const ROOT = resolve(__dirname, '..', '..');
const MANIFEST = join(ROOT, 'manifest.xml');
const tmp = () => mkdtempSync(join(tmpdir(), 'casepane-manifest-'));

/** Splits the manifest at the nested V1_1 overrides: the outer V1_0 part (with everything before it) and the V1_1 part. */
const V11_START = '<VersionOverrides xmlns="http://schemas.microsoft.com/office/mailappversionoverrides/1.1"';
const split = (x: string) => {
  const at = x.indexOf(V11_START);
  if (at < 0) throw new Error('no nested V1_1 VersionOverrides in the manifest');
  return [x.slice(0, at), x.slice(at)] as const;
};
/** Applies a mutation to the nested V1_1 overrides only. */
const inV11 = (mutate: (part: string) => string) => (x: string) => {
  const [outer, inner] = split(x);
  return outer + mutate(inner);
};
/** Applies a mutation to the outer V1_0 overrides only (not to the nested V1_1). */
const inV10 = (mutate: (part: string) => string) => (x: string) => {
  const [outer, inner] = split(x);
  const at = outer.indexOf('<VersionOverrides ');
  return outer.slice(0, at) + mutate(outer.slice(at)) + inner;
};

describe('manifest.xml', () => {
  it('passes the offline structural validation', async () => {
    const { problems, facts } = await validateManifest(MANIFEST);
    expect(problems).toEqual([]);
    expect(facts.origin).toBe('https://localhost:3000');
    expect(facts.taskpaneUrl).toBe('https://localhost:3000/taskpane.html');
    expect(facts.commandsUrl).toBe('https://localhost:3000/commands.html');
    expect(facts.supportsPinning).toBe(true);
    expect(facts.composePane).toBe(true);
    expect(versionAtLeast(facts.mailboxMinVersion, '1.5')).toBe(true);
    expect(facts.permissions).toBe('ReadWriteMailbox');
    expect(facts.overridesMailboxVersion).toBe('1.13');
    expect(facts.supportsSharedFolders).toBe(true);
    expect(facts.supportsMultiSelect).toBe(true);
    expect(facts.supportsNoItemContext).toBe(true);
    // The V1_0 fallback for clients below Mailbox 1.13: the same pane from the read ribbon, and the compose button.
    expect(facts.fallbackTaskpaneUrl).toBe('https://localhost:3000/taskpane.html');
    expect(facts.fallbackComposePane).toBe(true);
    expect(facts.fallbackMailboxVersion).toBe(facts.mailboxMinVersion);
    expect(facts.icons.map((i) => i.size).sort((a, b) => a - b)).toEqual([
      16, 25, 32, 48, 50, 64, 75, 80, 96, 128, 144,
    ]);
    // Outlook on iOS and Android: the same pane from the mobile reading view, icons at sizes 25/32/48 x scales 1-3.
    expect(facts.mobileTaskpaneUrl).toBe('https://localhost:3000/taskpane.html');
    expect(facts.mobileIcons).toEqual([
      '25@1',
      '25@2',
      '25@3',
      '32@1',
      '32@2',
      '32@3',
      '48@1',
      '48@2',
      '48@3',
    ]);
    // Event-based activation (issue 11, section 3): the HTML runtime, its JavaScript-only file for classic Outlook.
    expect(facts.launchRuntimeUrl).toBe('https://localhost:3000/commands.html');
    expect(facts.launchScriptUrl).toBe('https://localhost:3000/launchevent.js');
    expect(facts.launchEvents).toEqual([
      { type: 'OnNewMessageCompose', functionName: 'onNewMessageComposeHandler' },
      { type: 'OnMessageSend', functionName: 'onMessageSendHandler', sendMode: 'PromptUser' },
    ]);
  });

  it('compares requirement-set versions as versions, not decimals (1.13 is after 1.5)', async () => {
    expect(versionAtLeast('1.13', '1.5')).toBe(true);
    expect(versionAtLeast('1.5', '1.13')).toBe(false);
    expect(versionAtLeast('1.10', '1.9')).toBe(true);
    expect(versionAtLeast('1.5', '1.5')).toBe(true);
    expect(versionAtLeast('1.5.1', '1.5')).toBe(true);
    expect(versionAtLeast(undefined, '1.5')).toBe(false);
    expect(versionAtLeast('1.x', '1.5')).toBe(false);
    // A manifest whose base and fallback require Mailbox 1.10 is above the 1.5 floor (Number('1.10') < 1.5 said not).
    const file = join(tmp(), 'manifest.xml');
    writeFileSync(
      file,
      readFileSync(MANIFEST, 'utf8')
        .replace('<Set Name="Mailbox" MinVersion="1.5"/>', '<Set Name="Mailbox" MinVersion="1.10"/>')
        .replace('<bt:Sets DefaultMinVersion="1.5">', '<bt:Sets DefaultMinVersion="1.10">'),
    );
    const { problems, facts } = await validateManifest(file, { assetsDir: join(ROOT, 'assets') });
    expect(problems).toEqual([]);
    expect(facts.mailboxMinVersion).toBe('1.10');
    expect(versionAtLeast(facts.mailboxMinVersion, '1.5')).toBe(true);
  });

  it("is read by office-addin-manifest's XML reader as an Outlook mail add-in", async () => {
    const info = await new ManifestHandlerXml(MANIFEST).parseManifest();
    expect(info.officeAppType).toBe('MailApp');
    expect(info.hosts).toEqual(['Mailbox']);
    expect(info.displayName).toBe('Casepane');
    // ReadWriteMailbox: masterCategories.addAsync and item multi-select (it covers ReadWriteItem's categories.addAsync
    // and the compose-mode pane).
    expect(info.permissions).toBe('ReadWriteMailbox');
    expect(info.appDomains).toEqual(['https://localhost:3000']);
  });

  it('ships every icon as a real PNG of its size, matching the generator', () => {
    const files = readdirSync(join(ROOT, 'assets'))
      .filter((f) => f.endsWith('.png'))
      .sort();
    expect(files).toEqual(ICON_SIZES.map((s) => `icon-${s}.png`).sort());
    for (const size of ICON_SIZES) {
      const buf = readFileSync(join(ROOT, 'assets', `icon-${size}.png`));
      expect(pngSize(buf)).toEqual({ width: size, height: size });
      expect(buf.equals(renderIconPng(size))).toBe(true);
    }
  });

  it.each([
    [
      'SupportsPinning off',
      (x: string) =>
        x.replace('<SupportsPinning>true</SupportsPinning>', '<SupportsPinning>false</SupportsPinning>'),
      /SupportsPinning/,
    ],
    [
      'a dangling resid',
      (x: string) => x.replace('resid="Taskpane.Url"', 'resid="Nope.Url"'),
      /refers to no resource/,
    ],
    [
      'an http URL',
      (x: string) =>
        x.replace('https://localhost:3000/assets/icon-16.png', 'http://localhost:3000/assets/icon-16.png'),
      /not https/,
    ],
    [
      'a foreign origin',
      (x: string) => x.replace('https://localhost:3000/commands.html', 'https://evil.example/commands.html'),
      /not on the add-in origin/,
    ],
    [
      'a wrong icon size',
      (x: string) =>
        x.replace('<bt:Image size="80" resid="Icon.80x80"/>', '<bt:Image size="64" resid="Icon.80x80"/>'),
      /expected 64x64/,
    ],
    [
      'elements out of order',
      (x: string) =>
        x
          .replace(
            /(<Permissions>\w+<\/Permissions>)([\s\S]*?)(<FormSettings>[\s\S]*?<\/FormSettings>)/,
            '$3$2$1',
          )
          .replace(/<FormSettings>[\s\S]*?<\/FormSettings>([\s\S]*<Permissions>)/, '$1'),
      /out of order|is missing/,
    ],
    [
      'a compose pane with ReadItem',
      (x: string) =>
        x.replace('<Permissions>ReadWriteMailbox</Permissions>', '<Permissions>ReadItem</Permissions>'),
      /needs ReadWriteItem/,
    ],
    [
      'multi-select with ReadWriteItem',
      (x: string) =>
        x.replace('<Permissions>ReadWriteMailbox</Permissions>', '<Permissions>ReadWriteItem</Permissions>'),
      /multi-select needs ReadWriteMailbox/,
    ],
    [
      'OnMessageSend without a SendMode',
      (x: string) => x.replace(' SendMode="PromptUser"', ''),
      /OnMessageSend needs SendMode PromptUser, SoftBlock or Block/,
    ],
    [
      'a launch-event runtime without its JavaScript-only file',
      (x: string) => x.replace(/\s*<Override type="javascript" resid="LaunchEvent.Url"\/>/, ''),
      /no <Override type="javascript">/,
    ],
    [
      'launch events on another page than the runtime',
      (x: string) =>
        x.replace(
          /(<\/LaunchEvents>\s*)<SourceLocation resid="Commands.Url"\/>/,
          '$1<SourceLocation resid="Taskpane.Url"/>',
        ),
      /the LaunchEvent SourceLocation is not the resid of the <Runtime>/,
    ],
    [
      'OnMessageSend under overrides that require Mailbox 1.11',
      (x: string) => x.replace('<bt:Sets DefaultMinVersion="1.13">', '<bt:Sets DefaultMinVersion="1.11">'),
      /OnMessageSend needs Mailbox 1\.12, the VersionOverrides require 1\.11/,
    ],
    [
      'multi-select under Mailbox 1.5 overrides',
      (x: string) => x.replace('<bt:Sets DefaultMinVersion="1.13">', '<bt:Sets DefaultMinVersion="1.5">'),
      /SupportsMultiSelect needs a VersionOverridesV1_1 that requires Mailbox 1\.13/,
    ],
    [
      'SupportsMultiSelect before SupportsNoItemContext',
      (x: string) =>
        x.replace(
          '<SupportsNoItemContext>true</SupportsNoItemContext>\n                      <SupportsMultiSelect>true</SupportsMultiSelect>',
          '<SupportsMultiSelect>true</SupportsMultiSelect><SupportsNoItemContext>true</SupportsNoItemContext>',
        ),
      /<SupportsNoItemContext> is out of order/,
    ],
    [
      'SupportsSharedFolders after FunctionFile',
      (x: string) =>
        x.replace(
          /(<SupportsSharedFolders>true<\/SupportsSharedFolders>)(\s*)(<FunctionFile resid="Commands.Url"\/>)/,
          '$3$2$1',
        ),
      /<SupportsSharedFolders> is out of order in <DesktopFormFactor>/,
    ],
    [
      'SupportsNoItemContext in compose',
      inV11((x) =>
        x.replace(
          /(MessageComposeCommandSurface[\s\S]*?<SourceLocation resid="Taskpane.Url"\/>)/,
          '$1<SupportsNoItemContext>true</SupportsNoItemContext>',
        ),
      ),
      /SupportsNoItemContext is only allowed on MessageReadCommandSurface/,
    ],
    [
      'an unknown element in the action',
      (x: string) =>
        x.replace(
          '<SupportsPinning>true</SupportsPinning>',
          '<SupportsPinning>true</SupportsPinning><SupportsMultiselect>true</SupportsMultiselect>',
        ),
      /<SupportsMultiselect> is not allowed/,
    ],
    [
      'pinning in compose',
      inV11((x) =>
        x.replace(
          /(MessageComposeCommandSurface[\s\S]*?<SourceLocation resid="Taskpane.Url"\/>)/,
          '$1<SupportsPinning>true</SupportsPinning>',
        ),
      ),
      /only supported on the message-read surface/,
    ],
    [
      'outer overrides without buttons',
      inV10((x) => x.replace(/<Hosts>[\s\S]*?<\/Hosts>\s*/, '')),
      /VersionOverridesV1_0: no message-read Button with a ShowTaskpane action[\s\S]*get no Casepane button/,
    ],
    [
      'outer overrides without Resources',
      inV10((x) => x.replace(/<Resources>[\s\S]*?<\/Resources>\s*/, '')),
      /VersionOverridesV1_0: no <Resources>[\s\S]*refers to no resource/,
    ],
    [
      'an outer read button opening another page',
      inV10((x) => x.replace('https://localhost:3000/taskpane.html', 'https://localhost:3000/other.html')),
      /the message-read button opens https:\/\/localhost:3000\/other\.html[\s\S]*differs between the V1_0 and the V1_1/,
    ],
    [
      'SupportsPinning in the outer overrides',
      inV10((x) =>
        x.replace(
          '<SourceLocation resid="Taskpane.Url"/>',
          '<SourceLocation resid="Taskpane.Url"/><SupportsPinning>true</SupportsPinning>',
        ),
      ),
      /<SupportsPinning> is not allowed in the ShowTaskpane action of MessageReadCommandSurface in VersionOverridesV1_0/,
    ],
    [
      'SupportsSharedFolders in the outer overrides',
      inV10((x) =>
        x.replace(
          '<FunctionFile resid="Commands.Url"/>',
          '<SupportsSharedFolders>true</SupportsSharedFolders><FunctionFile resid="Commands.Url"/>',
        ),
      ),
      /<SupportsSharedFolders> is not allowed in <DesktopFormFactor> of VersionOverridesV1_0/,
    ],
    [
      'outer Resources after the nested overrides',
      (x: string) => {
        const [outer, inner] = split(x);
        const res = /<Resources>[\s\S]*?<\/Resources>\s*/.exec(outer)?.[0] ?? '';
        // Outer Resources moved from before the nested V1_1 to after it (before the outer closing tag).
        return (outer.replace(res, '') + inner).replace(
          /(<\/VersionOverrides>\s*)(<\/VersionOverrides>\s*<\/OfficeApp>)/,
          `$1${res}$2`,
        );
      },
      /<Resources> is out of order in <VersionOverrides> VersionOverridesV1_0/,
    ],
    [
      'outer overrides requiring more than the base manifest',
      inV10((x) => x.replace('<bt:Sets DefaultMinVersion="1.5">', '<bt:Sets DefaultMinVersion="1.8">')),
      /requires Mailbox 1\.8, more than the base manifest's 1\.5/,
    ],
    [
      'a mobile icon list without scale 3 of size 48',
      (x: string) => x.replace(/\s*<bt:Image size="48" scale="3" resid="Icon.144x144"\/>/, ''),
      /the mobile button icons are .*, expected sizes 25, 32 and 48 at scales 1, 2 and 3/,
    ],
    [
      'a mobile image of the wrong pixel size',
      (x: string) =>
        x.replace('size="25" scale="2" resid="Icon.50x50"', 'size="25" scale="2" resid="Icon.25x25"'),
      /bt:Image Icon.25x25: .*icon-25.png is 25x25, expected 50x50/,
    ],
    [
      'a mobile button opening another page',
      inV11((x) =>
        x.replace(
          /(<MobileFormFactor>[\s\S]*?)<SourceLocation resid="Taskpane.Url"\/>/,
          '$1<SourceLocation resid="Commands.Url"/>',
        ),
      ),
      /the mobile button opens https:\/\/localhost:3000\/commands.html, not the task pane/,
    ],
    [
      'no MobileFormFactor',
      inV11((x) => x.replace(/<!-- Outlook on iOS[\s\S]*?<\/MobileFormFactor>\s*/, '')),
      /no <MobileFormFactor> with a MobileMessageReadCommandSurface: Outlook on iOS and Android get no Casepane button/,
    ],
    ['a bad Id', (x: string) => x.replace(/<Id>[^<]+<\/Id>/, '<Id>not-a-guid</Id>'), /not a GUID/],
    ['broken XML', (x: string) => x.replace('</OfficeApp>', ''), /not well-formed/],
  ])('reports %s', async (_name, mutate, expected) => {
    const dir = tmp();
    const file = join(dir, 'manifest.xml');
    writeFileSync(file, mutate(readFileSync(MANIFEST, 'utf8')));
    const { problems } = await validateManifest(file, { assetsDir: join(ROOT, 'assets') });
    expect(problems.join('\n')).toMatch(expected);
  });
});

describe('build-manifest', () => {
  it('moves every URL and the AppDomain to ADDIN_ORIGIN and stays valid', async () => {
    const out = join(tmp(), 'manifest.xml');
    await buildManifest({ origin: 'https://casepane.example.com', outFile: out });
    const xml = readFileSync(out, 'utf8');
    expect(xml).not.toMatch(/https:\/\/localhost:3000[/"<]/);
    const { problems, facts } = await validateManifest(out, {
      origin: 'https://casepane.example.com',
      assetsDir: join(ROOT, 'assets'),
    });
    expect(problems).toEqual([]);
    // Both VersionOverrides levels carry their own Resources; the fallback (V1_0) button moves along.
    expect(facts.taskpaneUrl).toBe('https://casepane.example.com/taskpane.html');
    expect(facts.fallbackTaskpaneUrl).toBe('https://casepane.example.com/taskpane.html');
    expect(facts.urls.length).toBeGreaterThanOrEqual(16);
    expect(
      facts.urls.every(
        (u) => u.startsWith('https://casepane.example.com/') || u === 'https://casepane.example.com',
      ),
    ).toBe(true);
    const info = await new ManifestHandlerXml(out).parseManifest();
    expect(info.appDomains).toEqual(['https://casepane.example.com']);
    expect(info.iconUrl).toBe('https://casepane.example.com/assets/icon-64.png');
  });

  it('keeps a port and normalises a trailing slash', () => {
    expect(parseOrigin('https://cases.contoso.com:8443/')).toBe('https://cases.contoso.com:8443');
    expect(retargetManifest('<a b="https://localhost:3000/x"/>', 'https://h.example:8443')).toBe(
      '<a b="https://h.example:8443/x"/>',
    );
  });

  it.each([
    'http://casepane.example.com',
    'https://casepane.example.com/app',
    'casepane.example.com',
    'https://u:p@h.example',
  ])('refuses ADDIN_ORIGIN %s', (bad) => {
    expect(() => parseOrigin(bad)).toThrow(/ADDIN_ORIGIN/);
  });
});
