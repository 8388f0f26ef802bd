/**
 * Page-side helpers of the research page that need no DOM: the filter form, the table's paging,
 * the retention inputs. Kept here so the page stays wiring and these stay tested.
 */
import {
  CATEGORY_IDS,
  FEATURE_IDS,
  PLATFORM_IDS,
  type Category,
  type FeatureKind,
  type PlatformId,
} from '../../rules/schema';
import { RETENTION, type PageToken, type RecordFilter } from './types';

/** Rows per table page: enough to scan, few enough to render at once on a phone. */
export const PAGE_SIZE = 50;

/** The filter form as the inputs hold it (strings; "" is "all"). */
export interface FilterForm {
  platform: string;
  category: string;
  feature: string;
  /** `<input type="date">` values, YYYY-MM-DD, local days. */
  from: string;
  to: string;
}

export const EMPTY_FORM: FilterForm = { platform: '', category: '', feature: '', from: '', to: '' };

function localDay(value: string, endOfDay: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (endOfDay) d.setDate(d.getDate() + 1);
  return endOfDay ? d.getTime() - 1 : d.getTime();
}

/** The query a form means: unknown ids are ignored, "to" includes the whole day. */
export function filterFromForm(form: FilterForm): RecordFilter {
  const filter: RecordFilter = {};
  if ((PLATFORM_IDS as readonly string[]).includes(form.platform)) filter.platform = form.platform as PlatformId;
  if ((CATEGORY_IDS as readonly string[]).includes(form.category)) filter.category = form.category as Category;
  if ((FEATURE_IDS as readonly string[]).includes(form.feature)) filter.feature = form.feature as FeatureKind;
  const from = localDay(form.from, false);
  const to = localDay(form.to, true);
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  return filter;
}

/**
 * Keyset paging: `tokens[i]` is where page i starts (null for the newest page). Going forward
 * pushes the token the page returned; going back pops. No offsets, so page 2,000 costs what page 1 does.
 */
export interface Paging {
  tokens: (PageToken | null)[];
  index: number;
}

export const FIRST_PAGE: Paging = { tokens: [null], index: 0 };

export function nextPage(p: Paging, next: PageToken | null): Paging {
  if (!next) return p;
  return { tokens: [...p.tokens.slice(0, p.index + 1), next], index: p.index + 1 };
}

export function previousPage(p: Paging): Paging {
  return p.index === 0 ? p : { tokens: p.tokens, index: p.index - 1 };
}

/** A retention input: a whole number within the allowed range, or null. */
export function parseLimit(value: string, kind: 'records' | 'days'): number | null {
  const [min, max] =
    kind === 'records' ? [RETENTION.minRecords, RETENTION.maxRecords] : [RETENTION.minAgeDays, RETENTION.maxAgeDays];
  const n = Number(value.trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

export function limitRange(kind: 'records' | 'days'): [number, number] {
  return kind === 'records'
    ? [RETENTION.minRecords, RETENTION.maxRecords]
    : [RETENTION.minAgeDays, RETENTION.maxAgeDays];
}
