/** What the backend accepts as a case attachment; the add-in checks the same before uploading. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_FILE_NAME_LENGTH = 255;

// Programs and scripts: never stored, whatever the content type says.
const BLOCKED_EXTENSIONS = [
  'exe',
  'com',
  'bat',
  'cmd',
  'msi',
  'scr',
  'pif',
  'vbs',
  'vbe',
  'js',
  'jse',
  'wsf',
  'wsh',
  'ps1',
  'psm1',
  'jar',
  'hta',
  'cpl',
  'lnk',
  'reg',
  'dll',
  'sh',
  'app',
  'dmg',
  'iso',
];

const hasControlOrSeparator = (name: string) => [...name].some((c) => c < ' ' || c === '/' || c === '\\');

export function attachmentProblem(fileName: string, size: number): string | undefined {
  if (!fileName.trim() || fileName.length > MAX_FILE_NAME_LENGTH || hasControlOrSeparator(fileName))
    return `the file name must be 1 to ${MAX_FILE_NAME_LENGTH} characters without path separators or control characters`;
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if (fileName.includes('.') && BLOCKED_EXTENSIONS.includes(extension))
    return `.${extension} files are not accepted (programs and scripts)`;
  if (size > MAX_ATTACHMENT_BYTES)
    return `files larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB are not accepted`;
  if (size === 0) return 'the file is empty';
  return undefined;
}
