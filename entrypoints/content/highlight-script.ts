/**
 * The highlights script's body (see highlight-kit.ts). The build makes it an unlisted script,
 * `highlights.js` (scripts/platform-content-scripts.ts), which the background injects into a
 * platform page's frame on its content script's request.
 */
import { i18n } from '#i18n';
import { proposeSelector } from '@/lib/selector-proposal';
import type { FeatureKind } from '@/rules/schema';
import { contentBrowser } from '@/utils/content-browser';
import type { MyRulesPropose } from '@/utils/messages';
import { featureLabel } from '@/utils/taxonomy-labels';
import { provideHighlightKit } from './highlight-kit';
import { HighlightLayer } from './highlights';

export function provideHighlights(): void {
  const labels = new Map<FeatureKind, string>();
  provideHighlightKit({
    createLayer: (doc, requestFrame, url) =>
      new HighlightLayer(doc, requestFrame, {
        text: i18n.t('highlight.notShopping'),
        // "Not a shopping feature": the element named by its stable attributes, as the picker
        // names one; the background keeps the exclusion for the options page, which installs it.
        onChoose: (element, ruleId) => {
          const message = {
            type: 'myrules:propose',
            proposal: { kind: 'exclusion', ruleId, selector: proposeSelector(element, url(), true) },
          } satisfies MyRulesPropose;
          contentBrowser.runtime.sendMessage(message).catch(() => {
            // The background is restarting: the mark is gone from the page; the user can mark it again.
          });
        },
      }),
    featureLabel: (feature) => {
      let label = labels.get(feature);
      if (label === undefined) labels.set(feature, (label = featureLabel(feature)));
      return label;
    },
  });
}
