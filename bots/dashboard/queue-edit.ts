import { html } from 'hono/html';
import type { MessageTerm } from '../../shared/message/message';
import { csrfField, type Html } from './html';

/** The longest summary a moderator may give (as the chat's edit form allows). */
export const SUMMARY_MAX = 4000;
/** The longest term name and explanation. */
export const TERM_MAX = 100;
export const SHORT_MAX = 500;
/** How many key terms a post may carry after an edit. */
export const TERMS_MAX = 5;

/** A read edit form: the new summary and terms, or every problem found. */
export type PostEditResult = { ok: true; summary: string; terms: MessageTerm[] } | { ok: false; problems: string[] };

const text = (body: Record<string, unknown>, key: string) =>
  typeof body[key] === 'string' ? body[key].replace(/\r\n/g, '\n').trim() : '';

/**
 * Reads the queue's edit form: the summary (required), each current term kept or removed with its
 * name and explanation edited, and one new term when both its fields are filled. A new term's id
 * says a moderator wrote it (`moderator:…`): it is no glossary entry.
 */
export function readPostEdit(body: Record<string, unknown>, current: MessageTerm[], lang: string): PostEditResult {
  const problems: string[] = [];
  const summary = text(body, 'summary');
  if (!summary) problems.push('The summary is empty: write one, or leave the post as it is.');
  if (summary.length > SUMMARY_MAX)
    problems.push(`The summary is ${summary.length} characters; at most ${SUMMARY_MAX}.`);
  const terms: MessageTerm[] = [];
  const check = (name: string, short: string, which: string) => {
    if (!name || !short) problems.push(`${which}: give both the term and its explanation, or remove it.`);
    if (name.length > TERM_MAX) problems.push(`${which}: the term is longer than ${TERM_MAX} characters.`);
    if (short.length > SHORT_MAX) problems.push(`${which}: the explanation is longer than ${SHORT_MAX} characters.`);
  };
  current.forEach((t, i) => {
    if (body[`keep${i}`] !== 'on') return;
    const name = text(body, `term${i}`);
    const short = text(body, `short${i}`);
    check(name, short, `Key term ${i + 1}`);
    terms.push({ ...t, term: name, short });
  });
  const name = text(body, 'newTerm');
  const short = text(body, 'newShort');
  if (name || short) {
    check(name, short, 'The new key term');
    terms.push({ id: `moderator:${name.toLowerCase()}`, term: name, short, lang });
  }
  if (terms.length > TERMS_MAX) problems.push(`A post carries at most ${TERMS_MAX} key terms; remove some.`);
  return problems.length ? { ok: false, problems } : { ok: true, summary, terms };
}

/** The edit form of one held post: its summary and its key terms, each editable or removable, and one to add. */
export function postEditForm(id: string, summary: string, terms: MessageTerm[], csrf: string): Html {
  const p = `p${id.replace(/[^\w-]/g, '')}`;
  return html`<form method="post" action="/dashboard/queue/${encodeURIComponent(id)}/edit">
    ${csrfField(csrf)}
    <div class="field">
      <label for="${p}-summary">Summary (plain text)</label>
      <textarea id="${p}-summary" name="summary" rows="5" maxlength="${SUMMARY_MAX}" required>${summary}</textarea>
    </div>
    ${terms.map(
      (t, i) =>
        html`<fieldset>
          <legend>Key term ${i + 1}</legend>
          <label class="check"><input type="checkbox" name="keep${i}" checked /> Keep this term in the post</label>
          <div class="field">
            <label for="${p}-term${i}">Term</label>
            <input id="${p}-term${i}" name="term${i}" value="${t.term}" maxlength="${TERM_MAX}" />
          </div>
          <div class="field">
            <label for="${p}-short${i}">Explanation</label>
            <textarea id="${p}-short${i}" name="short${i}" rows="2" maxlength="${SHORT_MAX}">${t.short}</textarea>
          </div>
        </fieldset>`,
    )}
    <fieldset>
      <legend>Add a key term (optional)</legend>
      <div class="field">
        <label for="${p}-newTerm">Term</label>
        <input id="${p}-newTerm" name="newTerm" maxlength="${TERM_MAX}" />
      </div>
      <div class="field">
        <label for="${p}-newShort">Explanation</label>
        <textarea id="${p}-newShort" name="newShort" rows="2" maxlength="${SHORT_MAX}"></textarea>
      </div>
    </fieldset>
    <button type="submit" class="primary">Save the edit</button>
  </form>`;
}
