/**
 * Display names of the platforms. They are brand names, written the same in both languages, so
 * they live here rather than in `locales/`.
 */
import { PLATFORM_IDS, type PlatformId } from '../rules/schema';

export const PLATFORM_NAMES: Record<PlatformId, string> = {
  tiktok: 'TikTok',
  youtube: 'YouTube',
  facebook: 'Facebook',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  pinterest: 'Pinterest',
  x: 'X',
};

/** All platform names, in taxonomy order. */
export function platformNames(): string[] {
  return PLATFORM_IDS.map((id) => PLATFORM_NAMES[id]);
}
