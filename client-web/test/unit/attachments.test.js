import { describe, expect, it } from 'vitest';
import { INLINE_IMAGES, isFile, loadFile, refusal } from '../../src/attachments.js';
import { translate } from '../../src/i18n.js';

const LIMITS = { max_bytes: 10_000_000, types: ['image/jpeg', 'image/png', 'application/pdf'] };
const file = (type, size) => ({ type, size, name: 'x' });

describe('which files may be sent', () => {
  it('takes an allowed type up to the limit, the limit included', () => {
    expect(refusal(file('image/png', 10_000_000), LIMITS)).toBeNull();
    expect(refusal(file('application/pdf', 1), LIMITS)).toBeNull();
  });

  it('refuses a file over the limit and says the limit in Dutch', () => {
    const refused = refusal(file('image/jpeg', 10_000_001), LIMITS);
    expect(refused.key).toBe('attachTooLarge');
    expect(translate('nl', refused.key, refused.values)).toBe('Dit bestand is te groot. Je kan bestanden tot 10 MB sturen.');
  });

  it('refuses other types, naming the picture types allowed', () => {
    const refused = refusal(file('text/plain', 3), LIMITS);
    expect(refused.key).toBe('attachWrongType');
    expect(translate('nl', refused.key, refused.values)).toContain('JPEG, PNG');
    expect(refusal(file('image/svg+xml', 3), { ...LIMITS, types: [...LIMITS.types, 'image/svg+xml'] })).toBeNull();
    expect(INLINE_IMAGES).not.toContain('image/svg+xml');
  });

  it('refuses everything when files are off or the limits are unknown, and empty files', () => {
    expect(refusal(file('image/png', 5), { max_bytes: 0, types: ['image/png'] }).key).toBe('attachOff');
    expect(refusal(file('image/png', 5), null).key).toBe('attachOff');
    expect(refusal(file('image/png', 0), LIMITS).key).toBe('attachEmpty');
  });
});

describe('files in messages', () => {
  it('knows encrypted and plain files, and nothing else', () => {
    expect(isFile({ msgtype: 'm.image', body: 'a.png', file: { url: 'mxc://caw.test/abc' } })).toBe(true);
    expect(isFile({ msgtype: 'm.file', body: 'a.pdf', url: 'mxc://caw.test/abc' })).toBe(true);
    expect(isFile({ msgtype: 'm.text', body: 'mxc://caw.test/abc' })).toBe(false);
    expect(isFile({ msgtype: 'm.image', body: 'no url' })).toBe(false);
  });

  it('downloads only mxc URLs, never another address a message names', async () => {
    await expect(loadFile({ homeserver: 'http://hs', accessToken: 't',
      content: { msgtype: 'm.file', url: 'https://evil.example/x' } })).rejects.toThrow('not an mxc URL');
    await expect(loadFile({ homeserver: 'http://hs', accessToken: 't',
      content: { msgtype: 'm.file', url: 'mxc://caw.test/../../admin' } })).rejects.toThrow('not an mxc URL');
  });
});
