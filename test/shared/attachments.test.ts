import { attachmentProblem, blockedExtension } from '../../src/shared/attachments';

describe('attachment names', () => {
  it('are read as Windows reads them: trailing dots and spaces dropped, a stream is its file, any case', () => {
    expect(blockedExtension('setup.exe. . ')).toBe('exe');
    expect(blockedExtension('setup.exe::$DATA')).toBe('exe');
    expect(blockedExtension('setup.exe:Zone.Identifier')).toBe('exe');
    expect(blockedExtension('Setup.EXE')).toBe('exe');
    expect(blockedExtension('notes.txt:run.exe')).toBe('exe');
  });

  it('follow Outlook’s list of blocked types, and refuse macro documents and app packages too', () => {
    for (const name of [
      'a.msc',
      'a.xll',
      'a.url',
      'a.appref-ms',
      'a.settingcontent-ms',
      'a.docm',
      'a.xlsm',
      'a.appx',
    ])
      expect([name, attachmentProblem(name, 10)]).toEqual([name, expect.stringContaining('not accepted')]);
  });

  it('let documents, pictures and archives through', () => {
    for (const name of [
      'a.pdf',
      'a.docx',
      'a.xlsx',
      'photo.JPG',
      'archive.tar.gz',
      'v1.2 notes.txt',
      'exe',
      'setup.exe.txt',
    ])
      expect([name, attachmentProblem(name, 10)]).toEqual([name, undefined]);
  });
});
