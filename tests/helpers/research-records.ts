/** Research-log records for tests: deterministic, spread over platforms, features and time. */
import { FEATURE_CATEGORY, FEATURE_IDS, PLATFORM_IDS, type Detection, type TabReport } from '../../rules/schema';
import type { ResearchRecord } from '../../utils/research-log/types';

export const T0 = Date.UTC(2026, 10, 1, 12);

export function makeRecord(i: number, over: Partial<ResearchRecord> = {}): ResearchRecord {
  const feature = FEATURE_IDS[i % FEATURE_IDS.length];
  return {
    id: `visit${i}:rule${i}`,
    visitId: `visit${i}`,
    time: T0 + i * 60_000,
    lastSeen: T0 + i * 60_000 + 5,
    platform: PLATFORM_IDS[i % PLATFORM_IDS.length],
    url: `https://www.tiktok.com/p/${i}`,
    ruleId: `rule${i}`,
    feature,
    category: FEATURE_CATEGORY[feature],
    count: 1 + (i % 3),
    evidence: `evidence ${i}`,
    extensionVersion: '0.1.0',
    rulePacks: ['tiktok@1.0.0'],
    consentVersion: 1,
    ...over,
  };
}

/** A detection of a TikTok product tag, for recorder tests. */
export const det = (ruleId: string, over: Partial<Detection> = {}): Detection => ({
  ruleId,
  platform: 'tiktok',
  feature: 'product-tag',
  category: 'offer',
  regulationIds: ['r'],
  count: 1,
  evidence: 'Batik Tulis',
  firstSeen: 100,
  lastSeen: 100,
  ...over,
});
/** A tab's report on a TikTok video page. */
export const report = (
  tabId: number,
  detections: Detection[],
  url = 'https://www.tiktok.com/@toko/video/1?lang=id',
): TabReport => ({
  tabId,
  url,
  platform: 'tiktok',
  detections,
  updatedAt: 0,
});
