/**
 * Synthetic infinite feeds for the bench: a TikTok-like "For You" column and a YouTube-like home
 * grid, served under the platforms' real URLs so the extension's content script runs on them.
 *
 * The page builds its own posts (deterministic, from a seed) and appends them in batches from its
 * scroll handler, as an infinite feed does: the bench only scrolls. A share of the posts carries
 * the shopping markup described in the shared signals notes (TikTok product anchors with a
 * "Shop | …" label and a Tokopedia product link, "Beli sekarang" buttons, marketplace links;
 * YouTube merch shelves, "View products" buttons and `youtube.com/redirect?q=` links), and the page
 * records when each of those posts entered the DOM, for the latency measurement.
 *
 * Page API (`window.__feed`): `total` posts appended so far, `limit` (where scrolling stops adding
 * posts; the memory runs raise it in steps), `shopping` (one record per shopping post: index,
 * kinds, epoch ms of insertion), `appendBatch()`, `appendPost(kinds)` (one post now, for the
 * service-worker phase), `fill(n)` (a batch per frame up to n posts, for the memory runs), `autoAppend(ms, batch)` for the hidden-tab phase (timers keep running in
 * a hidden tab, frames do not), `stopAuto()`.
 */

export type FeedPlatform = 'tiktok' | 'youtube';

/** The kinds of shopping markup a post can carry. */
export type ShoppingKind = 'anchor' | 'shop-button' | 'marketplace-link';

export interface FeedOptions {
  platform: FeedPlatform;
  /** Posts appended by scrolling before the feed stops growing. */
  posts: number;
  /** Posts per appended batch. */
  batch: number;
  /** Share of posts with a product anchor (TikTok) or merch shelf (YouTube). */
  anchorShare: number;
  /** Share of posts with a shop button ("Beli sekarang" / "View products"). */
  buttonShare: number;
  /** Share of posts with a marketplace link in the description. */
  linkShare: number;
  seed: number;
}

export const FEED_URLS: Record<FeedPlatform, string> = {
  tiktok: 'https://www.tiktok.com/foryou?lang=id-ID',
  youtube: 'https://www.youtube.com/',
};

export const DEFAULT_FEED: Omit<FeedOptions, 'platform'> = {
  posts: 5000,
  batch: 50,
  anchorShare: 0.05,
  buttonShare: 0.01,
  linkShare: 0.02,
  seed: 20231004,
};

/**
 * Which posts carry which shopping markup: a fixed, evenly spread schedule (so every run and every
 * configuration sees the same page), exported so the bench knows how many of each to expect.
 */
export function shoppingPlan(
  o: Pick<FeedOptions, 'posts' | 'anchorShare' | 'buttonShare' | 'linkShare'>,
): ShoppingKind[][] {
  const plan: ShoppingKind[][] = [];
  const every = (share: number) => (share > 0 ? Math.round(1 / share) : Infinity);
  const a = every(o.anchorShare);
  const b = every(o.buttonShare);
  const l = every(o.linkShare);
  for (let i = 0; i < o.posts; i++) {
    const kinds: ShoppingKind[] = [];
    // Offsets keep the three schedules from always landing on the same post.
    if (i % a === a - 1) kinds.push('anchor');
    if (i % b === Math.floor(b / 2)) kinds.push('shop-button');
    if (i % l === Math.floor(l / 3)) kinds.push('marketplace-link');
    plan.push(kinds);
  }
  return plan;
}

const STYLE: Record<FeedPlatform, string> = {
  tiktok: `
    body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #fff; color: #161823; }
    .side { position: fixed; top: 0; left: 0; width: 200px; height: 100vh; border-right: 1px solid #eee; }
    .side a { display: block; padding: 8px 16px; color: inherit; text-decoration: none; }
    main { margin-left: 220px; max-width: 640px; }
    article { display: flex; gap: 12px; min-height: 88px; padding: 8px 0; border-bottom: 1px solid #eee; }
    .player { flex: 0 0 64px; height: 84px; border-radius: 8px; background: linear-gradient(#333, #777); }
    .content { flex: 1; min-width: 0; }
    .content h3 { margin: 0; font-size: 15px; }
    .desc { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .desc a { color: #2b5db9; }
    .anchor { display: inline-block; margin-top: 2px; padding: 1px 6px; border-radius: 4px; background: #fff3c4; color: #161823; font-size: 12px; }
    .actions { display: flex; flex-direction: column; gap: 2px; font-size: 11px; }
    .actions button { width: 28px; height: 20px; border: 0; border-radius: 10px; background: #f1f1f2; }
    .buy { margin-left: 8px; border: 0; border-radius: 4px; background: #fe2c55; color: #fff; font-size: 12px; }
    /* Phone width (the bench's phone profile): navigation as a bottom bar, the column full width. */
    @media (max-width: 600px) {
      .side { top: auto; bottom: 0; width: 100%; height: 44px; border-right: 0; border-top: 1px solid #eee; background: #fff; }
      .side nav { display: flex; justify-content: space-around; }
      main { margin-left: 0; padding: 0 8px 44px; }
    }`,
  youtube: `
    body { margin: 0; font: 14px/1.4 Roboto, system-ui, sans-serif; background: #fff; color: #0f0f0f; }
    ytd-app, ytd-page-manager, ytd-browse, ytd-rich-grid-renderer, ytd-rich-item-renderer, ytd-rich-grid-media,
    ytd-thumbnail, ytd-video-meta-block, ytd-merch-shelf-renderer, ytd-merch-shelf-item-renderer,
    ytd-channel-name, yt-formatted-string { display: block; }
    #contents { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; padding: 12px; }
    ytd-rich-item-renderer { min-height: 96px; }
    ytd-thumbnail { height: 40px; border-radius: 8px; background: linear-gradient(#444, #999); }
    #video-title { display: block; font-weight: 500; color: inherit; text-decoration: none;
      white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .desc { font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    ytd-merch-shelf-renderer { font-size: 11px; background: #f2f2f2; }
    ytd-merch-shelf-item-renderer { display: inline-block; margin-right: 4px; }
    .ytp-suggested-action { display: inline-block; border: 0; border-radius: 9px; background: #ffd; font-size: 11px; }
    /* Phone width (the bench's phone profile): one column, as on a phone. */
    @media (max-width: 600px) { #contents { grid-template-columns: minmax(0, 1fr); } }`,
};

/** Static shell of the page: navigation, an empty feed container, style. */
function shell(platform: FeedPlatform): string {
  if (platform === 'tiktok') {
    return `<div id="app">
  <div class="side css-1x2y3z-DivSideNavContainer"><nav class="css-abc-DivMainNavContainer">
    <a href="/foryou" data-e2e="nav-foryou"><span>Untuk Anda</span></a>
    <a href="/explore" data-e2e="nav-explore"><span>Jelajahi</span></a>
    <a href="/following" data-e2e="nav-following"><span>Mengikuti</span></a>
    <a href="/shop" data-e2e="nav-shop"><span>Shop</span></a>
    <a href="/live" data-e2e="nav-live"><span>LIVE</span></a>
  </nav></div>
  <main id="main-content-homepage_hot" class="css-1fxlgrb-DivMainContainer"><div id="feed" class="css-41hm0z-DivOneColumnContainer"></div></main>
</div>`;
  }
  return `<ytd-app><div id="content"><ytd-page-manager id="page-manager"><ytd-browse page-subtype="home">
  <ytd-rich-grid-renderer><div id="contents" class="style-scope ytd-rich-grid-renderer"></div></ytd-rich-grid-renderer>
</ytd-browse></ytd-page-manager></div></ytd-app>`;
}

/**
 * The in-page script. Written as a function so it is type-checked, then serialized into the page
 * (it must not close over anything: only its argument reaches the page).
 */
function feedScript(cfg: {
  platform: FeedPlatform;
  posts: number;
  batch: number;
  seed: number;
  plan: string[][];
}): void {
  let state = cfg.seed >>> 0;
  const rand = () => {
    // mulberry32: a small deterministic generator, so every run renders the same feed
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const users = [
    'tokobatik',
    'dapurnusantara',
    'rina.ootd',
    'gadgetmurah',
    'jalanjalan.id',
    'kopikenangan_fan',
    'ayu.makeup',
    'bengkelmotor',
  ];
  const words = [
    'Resep',
    'sambal',
    'matah',
    'OOTD',
    'kantor',
    'Bromo',
    'sunrise',
    'review',
    'jujur',
    'skincare',
    'murah',
    'tutorial',
    'hijab',
    'pashmina',
    'motor',
    'mudik',
    'kopi',
    'susu',
    'gula',
    'aren',
    'unboxing',
    'HP',
    'kamera',
    'vlog',
    'Bali',
    'pantai',
  ];
  const products = [
    'Kemeja Batik Pria Lengan Panjang',
    'Serum Vitamin C 20ml',
    'Pashmina Ceruty Babydoll',
    'Sambal Bawang Botol 150g',
    'Tripod HP Bluetooth',
    'Kopi Gula Aren 1L',
    'Helm Half Face SNI',
    'Sepatu Lari Pria',
  ];
  const sentence = (n: number) => Array.from({ length: n }, () => pick(words)).join(' ');
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const productId = () => String(1_700_000_000 + Math.floor(rand() * 99_999_999));

  function tiktokPost(i: number, kinds: string[]): string {
    const user = pick(users);
    const product = pick(products);
    const anchor = kinds.includes('anchor')
      ? `<a data-e2e="product-anchor" class="anchor css-9x1-DivEcomAnchorMobile e1ecom0" href="https://shop-id.tokopedia.com/view/product/${productId()}?region=ID&amp;source=video">` +
        `<span class="css-3kz-SpanAnchorIcon"></span><span>Shop | ${esc(product)}</span></a>` +
        `<span class="css-7r2-SpanCommission">Creator earns commission</span>`
      : '';
    const link = kinds.includes('marketplace-link')
      ? ` <a href="https://www.tokopedia.com/${user}/${product.toLowerCase().replace(/\s+/g, '-')}-${productId()}" target="_blank" rel="noopener">tokopedia.com/${user}</a>`
      : '';
    const buy = kinds.includes('shop-button')
      ? `<button class="buy css-1m2-ButtonBuyNow" type="button">Beli sekarang</button>`
      : '';
    return `<article data-e2e="recommend-list-item-container" class="css-14bp9b0-ArticleItemContainer" data-index="${i}">
<div class="player css-1am5-DivPlayerContainer"><div class="css-9a-DivVideoPlaceholder" aria-hidden="true"></div></div>
<div class="content css-1y5-DivContentContainer">
<h3 data-e2e="video-author-uniqueid"><a href="/@${user}">${user}</a></h3>
<div class="desc" data-e2e="video-desc"><span>${esc(sentence(6))}</span> <a href="/tag/fyp"><strong>#fyp</strong></a>${link}</div>
<h4 data-e2e="browse-music"><a href="/music/original-sound-${i}">original sound - ${user}</a>${buy}</h4>
${anchor}
</div>
<div class="actions css-1ok-DivActionItemContainer">
<button data-e2e="like-icon" aria-label="Suka video"></button><strong data-e2e="like-count">${Math.floor(rand() * 999)}K</strong>
<button data-e2e="comment-icon" aria-label="Komentar"></button><strong data-e2e="comment-count">${Math.floor(rand() * 999)}</strong>
<button data-e2e="share-icon" aria-label="Bagikan"></button>
</div></article>`;
  }

  function youtubePost(i: number, kinds: string[]): string {
    const channel = pick(users);
    const product = pick(products);
    const videoId = Math.floor(rand() * 1e11)
      .toString(36)
      .padStart(11, 'x')
      .slice(0, 11);
    const shelf = kinds.includes('anchor')
      ? `<ytd-merch-shelf-renderer class="style-scope ytd-rich-grid-media"><div id="title">Merchandise dari ${channel}</div>` +
        `<ytd-merch-shelf-item-renderer><a href="https://www.youtube.com/redirect?event=product_shelf&amp;q=https%3A%2F%2Fwww.tokopedia.com%2F${channel}%2F${productId()}" title="${esc(product)}">${esc(product)}</a>` +
        `<span class="product-item-price">Rp${Math.floor(rand() * 500) + 20}.000</span></ytd-merch-shelf-item-renderer></ytd-merch-shelf-renderer>`
      : '';
    const link = kinds.includes('marketplace-link')
      ? ` <a href="https://www.youtube.com/redirect?event=video_description&amp;q=https%3A%2F%2Fshopee.co.id%2F${channel}%2F${productId()}">shopee.co.id/${channel}</a>`
      : '';
    const button = kinds.includes('shop-button')
      ? `<button class="ytp-suggested-action ytp-suggested-action-badge" aria-label="Lihat produk">Lihat produk</button>`
      : '';
    return `<ytd-rich-item-renderer class="style-scope ytd-rich-grid-renderer" data-index="${i}">
<div id="content"><ytd-rich-grid-media><div id="dismissible">
<ytd-thumbnail><a id="thumbnail" href="/watch?v=${videoId}" aria-hidden="true" tabindex="-1"></a></ytd-thumbnail>
<div id="details"><a id="video-title-link" href="/watch?v=${videoId}"><yt-formatted-string id="video-title">${esc(sentence(5))}</yt-formatted-string></a>
<ytd-video-meta-block><ytd-channel-name><a href="/@${channel}">${channel}</a></ytd-channel-name>
<span class="inline-metadata-item">${Math.floor(rand() * 900) + 1} rb x ditonton</span></ytd-video-meta-block>
<div class="desc">${esc(sentence(4))}${link} ${button}</div>
${shelf}</div></div></ytd-rich-grid-media></div></ytd-rich-item-renderer>`;
  }

  const container = document.getElementById(cfg.platform === 'tiktok' ? 'feed' : 'contents')!;
  const render = cfg.platform === 'tiktok' ? tiktokPost : youtubePost;
  const api = {
    total: 0,
    extra: 0,
    batches: 0,
    shopping: [] as { index: number; kinds: string[]; t: number }[],
    timer: 0 as number,
    limit: cfg.posts,
    appendBatch(limit?: number): number {
      const from = api.total;
      const to = Math.min(from + cfg.batch, limit ?? api.limit);
      if (to <= from) return 0;
      let html = '';
      const marks: { index: number; kinds: string[] }[] = [];
      for (let i = from; i < to; i++) {
        const kinds = cfg.plan[i % cfg.plan.length];
        html += render(i, kinds);
        if (kinds.length > 0) marks.push({ index: i, kinds });
      }
      const tpl = document.createElement('template');
      tpl.innerHTML = html;
      container.append(tpl.content);
      const t = Date.now();
      for (const m of marks) api.shopping.push({ ...m, t });
      api.total = to;
      api.batches++;
      return to - from;
    },
    /** One post with the given shopping kinds, appended at once (whatever the limit). */
    appendPost(kinds: string[]): void {
      const tpl = document.createElement('template');
      tpl.innerHTML = render(api.total, kinds);
      container.append(tpl.content);
      if (kinds.length > 0) api.shopping.push({ index: api.total, kinds, t: Date.now() });
      api.total++;
    },
    /**
     * One batch per animation frame until the feed holds `target` posts (the memory runs: the
     * same batches as scrolling brings, without paying for the scrolling, whose times these runs
     * do not use).
     */
    fill(target: number): Promise<number> {
      api.limit = Math.max(api.limit, target);
      return new Promise((done) => {
        const frame = () => {
          if (api.appendBatch(target) === 0) done(api.total);
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
    /** Timer-driven appends past the scroll limit (a live feed), for the hidden-tab phase. */
    autoAppend(ms: number, upTo: number): void {
      api.stopAuto();
      const tick = () => {
        api.extra += api.appendBatch(upTo);
        api.timer = window.setTimeout(tick, ms);
      };
      api.timer = window.setTimeout(tick, ms);
    },
    stopAuto(): void {
      if (api.timer) window.clearTimeout(api.timer);
      api.timer = 0;
    },
  };
  (window as unknown as { __feed: typeof api }).__feed = api;
  const nearBottom = () => window.scrollY + window.innerHeight * 3 >= document.documentElement.scrollHeight;
  window.addEventListener(
    'scroll',
    () => {
      if (nearBottom()) api.appendBatch();
    },
    { passive: true },
  );
  api.appendBatch(); // the first screenful, as served
}

/** The complete HTML of a feed page. */
export function feedPage(options: FeedOptions): string {
  const plan = shoppingPlan(options).map((k) => [...k]);
  const cfg = { platform: options.platform, posts: options.posts, batch: options.batch, seed: options.seed, plan };
  const title = options.platform === 'tiktok' ? 'Untuk Anda | TikTok' : 'YouTube';
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE[options.platform]}</style></head>
<body>
${shell(options.platform)}
<script>
// The generator is serialized from TypeScript; the transpiler may wrap functions in __name().
var __name = function (f) { return f; };
(${feedScript.toString()})(${JSON.stringify(cfg)});
</script>
</body></html>`;
}
