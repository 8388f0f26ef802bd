/** Where to complain: each channel's name, what it handles, and tappable contacts. */
import { i18n } from '#i18n';
import type { ComplaintChannel } from '../rules/schema';
import { localized, type UiLocale } from '../utils/ui-language';
import './components.css';

type ContactKind = ComplaintChannel['contacts'][number]['kind'];

const CONTACT_TEXT = {
  whatsapp: (label: string) => i18n.t('popup.complain.whatsapp', [label]),
  phone: (label: string) => i18n.t('popup.complain.phone', [label]),
  email: (label: string) => i18n.t('popup.complain.email', [label]),
  web: (label: string) => i18n.t('popup.complain.web', [label]),
} satisfies Record<ContactKind, (label: string) => string>;

export function ComplaintList({ channels, locale }: { channels: readonly ComplaintChannel[]; locale: UiLocale }) {
  return (
    <ul class="ln-complain">
      {channels.map((c) => (
        <li key={c.id} class="ln-complain__item">
          <p class="ln-complain__name">{localized(c.name, locale)}</p>
          <p class="ln-complain__desc">{localized(c.description, locale)}</p>
          <ul class="ln-complain__contacts">
            {c.contacts.map((contact) => (
              <li key={contact.href}>
                <a
                  class={`ln-contact ln-contact--${contact.kind}`}
                  href={contact.href}
                  // tel: and mailto: hand over to the phone or mail app; web pages open in a tab.
                  {...(contact.href.startsWith('https:') ? { target: '_blank', rel: 'noopener noreferrer' } : {})}
                >
                  {CONTACT_TEXT[contact.kind](contact.label)}
                </a>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
