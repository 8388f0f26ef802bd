/**
 * The highlights script's body (see highlight-kit.ts). The build makes it an unlisted script,
 * `highlights.js` (scripts/platform-content-scripts.ts), which the background injects into a
 * platform page's frame on its content script's request.
 */
import type { FeatureKind } from '@/rules/schema';
import { featureLabel } from '@/utils/taxonomy-labels';
import { provideHighlightKit } from './highlight-kit';
import { HighlightLayer } from './highlights';

export function provideHighlights(): void {
  const labels = new Map<FeatureKind, string>();
  provideHighlightKit({
    createLayer: (doc, requestFrame) => new HighlightLayer(doc, requestFrame),
    featureLabel: (feature) => {
      let label = labels.get(feature);
      if (label === undefined) labels.set(feature, (label = featureLabel(feature)));
      return label;
    },
  });
}
