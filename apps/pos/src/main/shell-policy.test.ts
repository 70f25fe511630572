// The shell's decisions (issue 5, A11) in plain Node: navigation, renderer files, window mode,
// and the update feed address derived from the paired server.
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  feedPlatform,
  isAppUrl,
  rendererFile,
  updateFeedUrl,
  windowModeFrom,
} from './shell-policy.ts';

describe('shell policy', () => {
  it('lets the window show only the renderer', () => {
    expect(isAppUrl('app://pos/index.html')).toBe(true);
    expect(isAppUrl('app://pos/assets/index-abc.js?x=1#token=1')).toBe(true);
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'not a url',
    ])
      expect(isAppUrl(url)).toBe(false);
  });

  it('maps renderer addresses to files inside the build folder only', () => {
    expect(rendererFile('/opt/pos/renderer', 'app://pos/')).toEqual({
      path: '/opt/pos/renderer/index.html',
      mimeType: 'text/html; charset=utf-8',
    });
    expect(rendererFile('/opt/pos/renderer', 'app://pos/assets/index-abc.js')?.mimeType).toContain(
      'text/javascript',
    );
    // The URL parser already folds dot segments: what is left stays inside the folder.
    expect(rendererFile('/opt/pos/renderer', 'app://pos/%2e%2e/%2e%2e/etc/passwd')?.path).toBe(
      '/opt/pos/renderer/etc/passwd',
    );
    expect(rendererFile('/opt/pos/renderer', 'app://pos/..%2F..%2Fetc%2Fpasswd')).toBeNull();
    expect(rendererFile('/opt/pos/renderer', 'app://pos/%E0%A4%A')).toBeNull();
    expect(rendererFile('/opt/pos/renderer', 'https://pos/index.html')).toBeNull();
  });

  it('keeps scripts to the renderer itself', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('opens in kiosk or fullscreen from the command line or the local setting', () => {
    expect(windowModeFrom(['/opt/pos/pos', '--kiosk'], {})).toBe('kiosk');
    expect(windowModeFrom(['/opt/pos/pos', '--fullscreen'], { windowMode: 'kiosk' })).toBe('fullscreen');
    expect(windowModeFrom(['/opt/pos/pos'], { windowMode: 'kiosk' })).toBe('kiosk');
    expect(windowModeFrom(['/opt/pos/pos'], { windowMode: 'fullscreen' })).toBe('fullscreen');
    expect(windowModeFrom(['/opt/pos/pos'], { windowMode: 'huge' })).toBe('window');
    expect(windowModeFrom(['/opt/pos/pos'], {})).toBe('window');
  });

  it('finds the update feed on the paired server', () => {
    expect(updateFeedUrl('https://loyalty.example.ru', {}, 'linux')).toBe(
      'https://loyalty.example.ru/updates/stable/linux',
    );
    expect(updateFeedUrl('https://loyalty.example.ru/base/', { updateChannel: 'beta' }, 'win')).toBe(
      'https://loyalty.example.ru/base/updates/beta/win',
    );
    expect(updateFeedUrl('http://127.0.0.1:8080', { updateChannel: '../x' }, 'linux')).toBe(
      'http://127.0.0.1:8080/updates/stable/linux',
    );
    expect(updateFeedUrl(null, {}, 'linux')).toBeNull();
    expect(updateFeedUrl('ftp://x', {}, 'linux')).toBeNull();
    expect(updateFeedUrl('https://loyalty.example.ru', {}, null)).toBeNull();
    expect(feedPlatform('linux')).toBe('linux');
    expect(feedPlatform('win32')).toBe('win');
    expect(feedPlatform('darwin')).toBeNull();
  });
});
