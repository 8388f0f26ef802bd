import { describe, expect, it } from 'vitest';
import { unwrapRedirect } from '../../lib/engine/candidate';

const tiktok = [{ host: 'tiktok.com', path: '/link', param: 'target' }];
const target = 'https://www.tokopedia.com/toko/kemeja';
const q = encodeURIComponent(target);

describe('unwrapRedirect', () => {
  it('unwraps a redirector link on the platform host', () => {
    expect(unwrapRedirect(`https://www.tiktok.com/link?target=${q}`, tiktok)).toBe(target);
  });

  it('passes over post links on the same host without a redirect', () => {
    expect(unwrapRedirect('https://www.tiktok.com/@tokobatik', tiktok)).toBeNull();
    expect(unwrapRedirect(`https://www.tiktok.com/@toko/video/1?target=${q}`, tiktok)).toBeNull();
  });

  it('unwraps paths the URL parser normalises into the redirector path', () => {
    expect(unwrapRedirect(`https://www.tiktok.com\\link?target=${q}`, tiktok)).toBe(target);
    expect(unwrapRedirect(`https://www.tiktok.com/li\nnk?target=${q}`, tiktok)).toBe(target);
    expect(unwrapRedirect(`https://www.tiktok.com/li\tnk?target=${q}`, tiktok)).toBe(target);
  });
});
