// Watches every request of a browser context: nothing may leave loopback. A
// webview's resources have https://*.vscode-cdn.net addresses, but the webview's
// service worker answers them from the workbench; they count as local only when
// the response really came from the service worker (a real fetch would fail here,
// with no internet, and be reported).
import type { BrowserContext, Request } from 'playwright-core';

const LOCAL_PROTOCOLS = new Set(['data:', 'blob:', 'about:']);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    return LOCAL_PROTOCOLS.has(u.protocol) || LOCAL_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

export class NetworkGuard {
  /** Requests seen, local or not. */
  count = 0;
  /** Off-loopback requests not (yet) proven to be served by a service worker. */
  private readonly suspicious = new Map<Request, string>();

  constructor(context: BrowserContext) {
    context.on('request', (request) => {
      this.count++;
      if (!isLoopback(request.url())) this.suspicious.set(request, request.url());
    });
    context.on('requestfinished', async (request) => {
      if (!this.suspicious.has(request)) return;
      const response = await request.response().catch(() => null);
      if (response?.fromServiceWorker()) this.suspicious.delete(request);
    });
    context.on('requestfailed', (request) => {
      if (this.suspicious.has(request)) this.suspicious.set(request, `${request.url()} (failed: ${request.failure()?.errorText})`);
    });
  }

  assertLoopbackOnly(): void {
    const off = [...this.suspicious.values()];
    if (off.length > 0) throw new Error(`requests left loopback:\n  ${off.join('\n  ')}`);
  }
}
