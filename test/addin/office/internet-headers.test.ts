import { threadHeadersOf } from '../../../src/addin/office/internet-headers';

describe('thread headers from getAllInternetHeadersAsync', () => {
  it('reads In-Reply-To and folded References, normalised, whatever the case of the names', () => {
    const block = [
      'Received: from mx (mx [10.0.0.1])\r\n\tby host; Tue, 1 Dec 2026 09:00:00 +0000',
      'in-reply-to: <b@x.example>',
      'References: <a@x.example>\r\n <b@x.example>\r\n\t<b@x.example>',
      'Subject: Re: References: <not@this.example>',
    ].join('\r\n');
    expect(threadHeadersOf(block)).toEqual({
      inReplyTo: 'b@x.example',
      references: ['a@x.example', 'b@x.example'],
    });
  });

  it('has none when the message has none, and keeps the newest 100 of a long chain', () => {
    expect(threadHeadersOf('Subject: hello\nFrom: a@b.example')).toEqual({ inReplyTo: null, references: [] });
    const ids = Array.from({ length: 150 }, (_, i) => `<m${i}@x.example>`);
    const { references } = threadHeadersOf(`References: ${ids.join('\n ')}`);
    expect(references).toHaveLength(100);
    expect(references[0]).toBe('m50@x.example');
    expect(references.at(-1)).toBe('m149@x.example');
  });
});
