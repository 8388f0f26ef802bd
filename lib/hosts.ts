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

/** The platform whose hosts serve `url`, or null (also for a URL that does not parse). */
export function platformForUrl<Id extends string>(
  platforms: readonly { id: Id; hosts: readonly string[] }[],
  url: string,
): Id | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  for (const p of platforms) if (p.hosts.some((h) => hostMatches(host, h))) return p.id;
  return null;
}
