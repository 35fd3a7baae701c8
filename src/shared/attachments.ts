/** What the backend accepts as a case attachment; the add-in checks the same before uploading. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_FILE_NAME_LENGTH = 255;

/**
 * File types Outlook itself blocks (Level 1), after Microsoft's "Blocked attachments in Outlook",
 * https://support.microsoft.com/en-us/office/blocked-attachments-in-outlook-434752e1-02d3-4e90-9124-8b81e49a8519,
 * including what Microsoft added for Outlook on the web in 2019 (.appcontent-ms, .cdxml, .pssc, .settingcontent-ms,
 * .udl). Transcribed from copies of that page (the live page could not be read when this was written): compare the
 * two when Microsoft changes it. A case is read in Outlook, so nothing Outlook would refuse to open is stored.
 */
// prettier-ignore
const OUTLOOK_LEVEL_1 = [
  'ade', 'adp', 'app', 'appcontent-ms', 'application', 'appref-ms', 'asp', 'aspx', 'asx', 'bas', 'bat', 'bgi',
  'cdxml', 'cer', 'chm', 'cmd', 'cnt', 'com', 'cpl', 'crt', 'csh', 'der', 'diagcab', 'exe', 'fxp', 'gadget',
  'grp', 'hlp', 'hpj', 'hta', 'htc', 'inf', 'ins', 'iso', 'isp', 'its', 'jar', 'jnlp', 'js', 'jse', 'ksh', 'lnk',
  'mad', 'maf', 'mag', 'mam', 'maq', 'mar', 'mas', 'mat', 'mau', 'mav', 'maw', 'mcf', 'mda', 'mdb', 'mde', 'mdt',
  'mdw', 'mdz', 'msc', 'msh', 'msh1', 'msh1xml', 'msh2', 'msh2xml', 'mshxml', 'msi', 'msp', 'mst', 'msu', 'ops',
  'osd', 'pcd', 'pif', 'pl', 'plg', 'prf', 'prg', 'printerexport', 'ps1', 'ps1xml', 'ps2', 'ps2xml', 'psc1',
  'psc2', 'psd1', 'psdm1', 'pssc', 'pst', 'py', 'pyc', 'pyo', 'pyw', 'pyz', 'pyzw', 'reg', 'scf', 'scr', 'sct',
  'settingcontent-ms', 'shb', 'shs', 'theme', 'tmp', 'udl', 'url', 'vb', 'vbe', 'vbp', 'vbs', 'vhd', 'vhdx',
  'vsmacros', 'vsw', 'webpnp', 'website', 'ws', 'wsb', 'wsc', 'wsf', 'wsh', 'xbap', 'xll', 'xnk',
];

/**
 * Beyond Outlook's list: Office documents that carry macros (a customer never needs to send us code that runs on
 * opening), Windows app packages and installers, shell files that point elsewhere, and the programs of other systems
 * this project refused before.
 */
// prettier-ignore
const ALSO_BLOCKED = [
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'xla', 'pptm', 'potm', 'ppam', 'ppsm', 'sldm',
  'appx', 'appxbundle', 'msix', 'msixbundle', 'appinstaller', 'cab',
  'library-ms', 'searchconnector-ms',
  'dll', 'psm1', 'sh', 'dmg',
];

const BLOCKED_EXTENSIONS = new Set([...OUTLOOK_LEVEL_1, ...ALSO_BLOCKED]);

const hasControlOrSeparator = (name: string) => [...name].some((c) => c < ' ' || c === '/' || c === '\\');

/** Windows drops trailing dots and spaces from a name: `setup.exe. .` is setup.exe. */
const withoutTrailingDotsAndSpaces = (name: string) => name.replace(/[. ]+$/, '');

/**
 * The names a file may end up with on a Windows machine, lower-cased: the name itself, and the file an alternate data
 * stream belongs to (`setup.exe::$DATA` and `setup.exe:Zone.Identifier` are setup.exe), each without trailing dots
 * and spaces. The whole name counts too: a browser saving `notes.txt:run.exe` replaces the colon and keeps `.exe`.
 */
function windowsNames(fileName: string): string[] {
  const name = fileName.toLowerCase();
  const colon = name.indexOf(':');
  const names = [name, ...(colon >= 0 ? [name.slice(0, colon)] : [])];
  return names.map(withoutTrailingDotsAndSpaces);
}

/** The blocked extension a name carries as Windows reads it, if any. */
export function blockedExtension(fileName: string): string | undefined {
  for (const name of windowsNames(fileName)) {
    const dot = name.lastIndexOf('.');
    if (dot < 0) continue;
    const extension = name.slice(dot + 1);
    if (BLOCKED_EXTENSIONS.has(extension)) return extension;
  }
  return undefined;
}

export function attachmentProblem(fileName: string, size: number): string | undefined {
  if (!fileName.trim() || fileName.length > MAX_FILE_NAME_LENGTH || hasControlOrSeparator(fileName))
    return `the file name must be 1 to ${MAX_FILE_NAME_LENGTH} characters without path separators or control characters`;
  const extension = blockedExtension(fileName);
  if (extension !== undefined)
    return `.${extension} files are not accepted (programs, scripts and macro documents Outlook would block)`;
  if (size > MAX_ATTACHMENT_BYTES)
    return `files larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB are not accepted`;
  if (size === 0) return 'the file is empty';
  return undefined;
}
