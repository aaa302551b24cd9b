import type { APIEmbed } from 'discord.js';
import { html, raw } from 'hono/html';
import type { Message } from '../../shared/message/message';
import { renderEmbed } from '../discord/render';
import { photoCaption, renderTelegramPost } from '../telegram/render';
import type { Html } from './html';

/**
 * A held post drawn as each platform will show it, from the real renderers' output: the Telegram
 * HTML the sink sends (as a photo's caption or a text post) and the Discord embed (colour bar,
 * author, title, description, a field per key term, footer). Images are named, not loaded: the
 * dashboard's Content-Security-Policy loads nothing from elsewhere.
 */

// The tags Telegram's renderer emits; anything else in its output is shown as text, never as HTML.
const TELEGRAM_TAG = /<(\/?)(b|i|a)(?: href="(https?:\/\/[^"]*)")?>/g;

/** Telegram HTML as the dashboard's HTML: its own tags kept (links open safely), its escaped text as it is. */
export function telegramHtml(source: string): string {
  let out = '';
  let at = 0;
  for (const m of source.matchAll(TELEGRAM_TAG)) {
    out += escapeStray(source.slice(at, m.index));
    const [, close, tag, href] = m;
    out +=
      close || tag !== 'a'
        ? `<${close}${tag === 'a' ? 'a' : tag === 'b' ? 'strong' : 'em'}>`
        : `<a href="${href ?? ''}" rel="noopener noreferrer">`;
    at = m.index + m[0].length;
  }
  return out + escapeStray(source.slice(at));
}

// The renderer's text is escaped already (&amp; &lt; &gt; &quot;); a stray `<` or `>` (none expected) is escaped again.
const escapeStray = (text: string) => text.replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The post as Telegram will show it. */
export function telegramPreview(message: Message): Html {
  const caption = photoCaption(message);
  const post = caption ?? renderTelegramPost(message);
  return html`<figure class="tg">
    <figcaption>On Telegram${caption ? ', as a photo with this caption' : ''}</figcaption>
    ${caption ? html`<p class="tg-photo">Photo: ${message.image}</p>` : ''}
    <div class="tg-bubble">${raw(telegramHtml(post.html))}</div>
    ${post.shortened ? html`<p class="meta">Shortened to fit Telegram’s limit.</p>` : ''}
  </figure>`;
}

// escapeDiscord puts a backslash before each markdown character: Discord shows the character alone.
const discordText = (text: string) => text.replace(/\\([\\*_~`|[\]<>()#>.-])/g, '$1');
const hex = (color: number | undefined) => `#${(color ?? 0x1e1f22).toString(16).padStart(6, '0')}`;

/** An embed drawn as Discord draws it: the colour bar at its left edge, then its parts in Discord's order. */
export function embedHtml(embed: APIEmbed): Html {
  const title = embed.title ? discordText(embed.title) : '';
  return html`<div class="dc-embed">
    <svg class="dc-bar" viewBox="0 0 4 4" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect width="4" height="4" fill="${hex(embed.color)}" />
    </svg>
    <div class="dc-body">
      ${embed.author ? html`<p class="dc-author">${embed.author.name}</p>` : ''}
      ${
        title
          ? html`<p class="dc-title">
              ${embed.url ? html`<a href="${embed.url}" rel="noopener noreferrer">${title}</a>` : title}
            </p>`
          : ''
      }
      ${embed.description ? html`<p class="dc-desc">${discordText(embed.description)}</p>` : ''}
      ${
        embed.fields?.length
          ? html`<dl class="dc-fields">
              ${embed.fields.map(
                (f) =>
                  html`<div>
                    <dt>${discordText(f.name)}</dt>
                    <dd>${discordText(f.value)}</dd>
                  </div>`,
              )}
            </dl>`
          : ''
      }
      ${embed.image ? html`<p class="dc-image">Image: ${embed.image.url}</p>` : ''}
      ${
        embed.footer || embed.timestamp
          ? html`<p class="dc-footer">
              ${[embed.footer?.text, embed.timestamp && `${embed.timestamp.slice(0, 16).replace('T', ' ')} UTC`]
                .filter(Boolean)
                .join(' • ')}
            </p>`
          : ''
      }
    </div>
  </div>`;
}

/** The post as Discord will show it. */
export function discordPreview(message: Message): Html {
  const { embed, shortened } = renderEmbed(message);
  return html`<figure class="dc">
    <figcaption>On Discord</figcaption>
    ${embedHtml(embed)} ${shortened ? html`<p class="meta">Shortened to fit Discord’s limits.</p>` : ''}
  </figure>`;
}

/** The post as its channel's platform will show it; both platforms' views for any other sink. */
export function platformPreview(sink: string, message: Message): Html {
  if (sink === 'telegram') return telegramPreview(message);
  if (sink === 'discord') return discordPreview(message);
  return html`${telegramPreview(message)}${discordPreview(message)}`;
}
