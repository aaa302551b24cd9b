import { html, raw } from 'hono/html';
import { ChannelRulesSchema } from '../../shared/curation';
import type { Channel } from '../store/types';
import type { RulePreview } from './channel-preview';
import { RULE_FIELDS, type RuleField, type RuleFormValues, type RuleProblem } from './channel-form';
import { csrfField, type Html } from './html';

const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A channel's rules in one line, for the list. */
function rulesLine(rules: unknown): string {
  const parsed = ChannelRulesSchema.safeParse(rules ?? {});
  if (!parsed.success) return 'Rules that no longer validate: open them to fix.';
  const r = parsed.data;
  const parts = [
    r.sources.length || r.tags.length
      ? `${count(r.sources.length, 'source')} and ${count(r.tags.length, 'tag')} selected`
      : 'every source',
    `${count(r.include.length + r.exclude.length, 'keyword')}`,
    `${count(r.includeRegex.length + r.excludeRegex.length, 'regex', 'regexes')}`,
    r.langs.length ? `languages ${r.langs.join(', ')}` : 'any language',
    `approval: ${r.approval}`,
  ];
  return parts.join(' · ');
}

/** The Channels page: the channels the moderator manages, each with its rules in short. */
export function channelsBody(channels: Channel[]): Html {
  return html`<h1>Channels</h1>
    ${
      channels.length === 0
        ? html`<p>You moderate no channel.</p>`
        : html`<ul class="cards">
            ${channels.map(
              (c) =>
                html`<li>
                  <a href="/dashboard/channels/${encodeURIComponent(c.id)}">${c.title}</a>
                  <small>(${c.sink}, ${c.id})</small>
                  <p class="meta">${rulesLine(c.rules)}</p>
                </li>`,
            )}
          </ul>`
    }`;
}

const HINTS: Record<RuleField, string> = {
  sources: 'One source id or feed URL a line; empty: every source (with the tags below).',
  tags: 'One tag a line; an item’s source must carry one of them. Empty: no restriction.',
  include: 'One keyword or phrase a line; at least one must occur in the title, summary or categories.',
  exclude: 'One a line; an item with any of them is not posted.',
  includeRegex:
    'One RE2 regular expression a line (case-insensitive; no backreferences or lookaround); one must match.',
  excludeRegex: 'One RE2 regular expression a line; an item any of them matches is not posted.',
  langs: 'Language codes separated by commas (en, zh); an item without a language passes. Empty: any.',
  maxAgeHours: 'Items published longer ago are not posted. Empty: no limit.',
  perHour: 'A post over a cap waits for the next hour; none is dropped. Empty: no cap.',
  perDay: 'Empty: no cap.',
  approval: '',
};

const APPROVAL = [
  ['untrusted', 'Posts from sources not marked trusted'],
  ['all', 'Every post'],
  ['none', 'No post (everything goes out at once)'],
] as const;

function field(name: RuleField, values: RuleFormValues, problems: RuleProblem[]): Html {
  const mine = problems.filter((p) => p.field === name);
  const described = [`h-${name}`, ...(mine.length ? [`e-${name}`] : [])].join(' ');
  const invalid = mine.length ? raw(' aria-invalid="true"') : '';
  const list = name !== 'langs' && name !== 'maxAgeHours' && name !== 'perHour' && name !== 'perDay';
  const control = list
    ? html`<textarea id="f-${name}" name="${name}" rows="3" aria-describedby="${described}" ${invalid}>
${values[name]}</textarea>`
    : html`<input
        id="f-${name}"
        name="${name}"
        ${name === 'langs' ? '' : raw(' inputmode="decimal"')}
        value="${values[name]}"
        aria-describedby="${described}"
        ${invalid}
      />`;
  return html`<div class="field">
    <label for="f-${name}">${RULE_FIELDS[name]}</label>
    <small id="h-${name}">${HINTS[name]}</small>
    ${mine.length ? html`<p id="e-${name}" class="error">${mine.map((p) => html`${p.text} `)}</p>` : ''} ${control}
  </div>`;
}

/** What the channel page shows besides the form: a notice, the problems, the preview. */
export interface ChannelPageState {
  notice?: string | null;
  problems?: RuleProblem[];
  preview?: RulePreview | null;
  /** True when the problems are the saved rules' own (the engine skips the channel until they are fixed). */
  stored?: boolean;
  /** True when the preview is of the form's edited rules, not of the saved ones. */
  edited?: boolean;
  /** The sources the channel subscribes to, for the Sources field (ids to copy). */
  subscribed?: { named: { id: string; title: string; paused: boolean }[]; total: number };
}

function subscribedList(s: NonNullable<ChannelPageState['subscribed']>): Html {
  return html`<details>
    <summary>The ${count(s.total, 'source')} this channel subscribes to, with their ids</summary>
    <ul>
      ${s.named.map((x) => html`<li>${x.title}: <code>${x.id}</code>${x.paused ? ' (paused)' : ''}</li>`)}
    </ul>
    ${s.total > s.named.length ? html`<p class="meta">and ${s.total - s.named.length} more.</p>` : ''}
  </details>`;
}

/** One channel's rules in a form, with a Preview and a Save button, and the preview of the rules. */
export function channelBody(channel: Channel, values: RuleFormValues, csrf: string, state: ChannelPageState): Html {
  const problems = state.problems ?? [];
  const selected = values.approval;
  return html`<h1>Rules of ${channel.title}</h1>
    <p class="meta">${channel.sink} · ${channel.id}${channel.origin === 'chat' ? '' : ' · from the config file'}</p>
    ${state.notice ? html`<p class="notice" role="status">${state.notice}</p>` : ''}
    ${
      problems.length
        ? html`<div class="notice error" role="alert">
            <h2>
              ${`${state.stored ? 'The saved rules no longer validate' : 'Not saved'}: ${count(problems.length, 'problem')} to fix`}
            </h2>
            <ul>
              ${problems.map((p) => html`<li><a href="#f-${p.field}">${p.text}</a></li>`)}
            </ul>
          </div>`
        : ''
    }
    <form method="post" action="/dashboard/channels/${encodeURIComponent(channel.id)}" class="rules">
      ${csrfField(csrf)}
      <fieldset>
        <legend>Which items</legend>
        ${state.subscribed ? subscribedList(state.subscribed) : ''}
        ${(['sources', 'tags', 'langs', 'maxAgeHours'] as const).map((f) => field(f, values, problems))}
      </fieldset>
      <fieldset>
        <legend>Keywords and regexes</legend>
        ${(['include', 'exclude', 'includeRegex', 'excludeRegex'] as const).map((f) => field(f, values, problems))}
      </fieldset>
      <fieldset>
        <legend>Caps and approval</legend>
        ${(['perHour', 'perDay'] as const).map((f) => field(f, values, problems))}
        <div class="field">
          <label for="f-approval">Who must approve: posts that wait in the queue</label>
          <select id="f-approval" name="approval">
            ${APPROVAL.map(
              ([v, label]) => html`<option value="${v}" ${v === selected ? raw(' selected') : ''}>${label}</option>`,
            )}
          </select>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" name="do" value="preview">Preview</button>
        <button type="submit" name="do" value="save" class="primary">Save</button>
      </div>
    </form>
    ${state.preview ? previewBody(state.preview, state.edited === true) : ''}`;
}

function verdictText(row: RulePreview['rows'][number]): string {
  const v = row.verdict;
  return v.post ? (v.status === 'held' ? 'Passes, held for approval' : 'Passes') : `Filtered: ${v.reason}`;
}

/** The preview: how many of the latest items pass, and for each what the rules decide and why. */
function previewBody(p: RulePreview, edited: boolean): Html {
  const changed = p.rows.filter((r) => r.changed).length;
  return html`<section aria-labelledby="preview">
    <h2 id="preview">Preview${edited ? ' of these edited rules' : ''}: the latest ${count(p.rows.length, 'item')}</h2>
    <p role="status">
      ${p.passed} of ${p.rows.length} would pass${p.held ? ` (${p.held} held for approval)` : ''};
      ${p.rows.length - p.passed}
      filtered.${edited ? ` ${count(changed, 'item')} fare differently under the saved rules.` : ''} Caps decide when a
      post goes, not whether: they are not part of the preview.
    </p>
    ${
      p.rows.length === 0
        ? html`<p>No items from this channel’s sources are stored yet.</p>`
        : html`<div class="table">
            <table aria-labelledby="preview">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Source</th>
                  <th scope="col">With these rules</th>
                </tr>
              </thead>
              <tbody>
                ${p.rows.map(
                  (r) =>
                    html`<tr>
                      <td>
                        ${r.link ? html`<a href="${r.link}" rel="noopener noreferrer">${r.title}</a>` : r.title}
                        <br /><small>seen ${when(r.seenAt)}</small>
                      </td>
                      <td>${r.source}</td>
                      <td class="${r.verdict.post ? 'state-ok' : 'state-failing'}">
                        ${verdictText(r)}${r.changed ? html`<br /><small>(changed from the saved rules)</small>` : ''}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}
