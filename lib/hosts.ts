/** Whether `host` is `suffix` or one of its subdomains ("shop.tiktok.com" is under "tiktok.com"). */
export function hostMatches(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith('.' + suffix);
}

/** Match patterns for a set of host suffixes. "*.example.com" also matches example.com itself. */
export function hostsToMatchPatterns(packs: readonly { platforms?: { hosts: string[] }[] }[]): string[] {
  const hosts = new Set<string>();
  for (const pack of packs) for (const p of pack.platforms ?? []) for (const h of p.hosts) hosts.add(h);
  return [...hosts].sort().map((h) => `https://*.${h}/*`);
}
