import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A static scan of the bots: no text a member reads is built from a string literal outside the
 * catalogue (shared/i18n/catalogue). It looks at what replies are made of: the arguments of
 * `reply`, `notice`, `progress`, `answer`, `answerCallbackQuery` and `new CommandError`, the
 * `text`, `content` and `label` of the objects passed to them, and (one step) the constants those
 * name. A literal is fine when it is a catalogue key (the first text argument of `say`,
 * `translate` or `t`) or has no letters (`\n`, ` · `, `${a} ${b}`).
 */
const ROOT = join(__dirname, '..', '..');
const REPLYING = new Set(['reply', 'notice', 'progress', 'answer', 'answerCallbackQuery', 'followUp', 'editReply']);
const CATALOGUE_CALLS = new Set(['say', 'translate', 't', 'tr', 'postWord']);
const TEXT_PROPS = new Set(['text', 'content', 'label', 'buttons']);
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** A catalogue key as code picks it: `'add.added'`, `cond ? 'a.b' : 'c.d'`, `` `field.${x}` as MessageKey ``. */
function isKey(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return /^[\w.-]+$/.test(node.text);
  if (ts.isConditionalExpression(node)) return isKey(node.whenTrue) && isKey(node.whenFalse);
  if (ts.isAsExpression(node) || ts.isParenthesizedExpression(node)) return isKey(node.expression);
  if (ts.isTemplateExpression(node)) return /^[\w.-]*$/.test(node.head.text);
  return false;
}

/**
 * Files still answering in English only, each to be moved to the catalogue (the community
 * glossary's /term). The test fails when one of them is clean, so the list only
 * shrinks. The scan follows constants within a file, not texts returned from another file: the
 * /term texts built in term-commands.ts, term-form.ts and term-guided.ts are English too.
 */
const NOT_YET = new Set(['bots/glossary/term-chat.ts']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'cli' ? [] : files(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Words a reader reads: a lone lowercase code word (`'action'`, `'en'`) is a name, not a text. */
const hasLetters = (text: string) =>
  /\p{L}{2,}/u.test(text) && (/\s/.test(text) || /[^ -~\s]/.test(text) || /^[A-Z]/.test(text));

/** The literal texts with letters that reach a reply in this file, as `line: text`. */
function violations(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Map<string, ts.Expression>();
  const collect = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer)
      constants.set(node.name.text, node.initializer);
    ts.forEachChild(node, collect);
  };
  collect(source);
  const found: string[] = [];
  const seen = new Set<ts.Node>();
  const report = (node: ts.Node, text: string) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    found.push(`${line}: ${text.slice(0, 60)}`);
  };
  const check = (node: ts.Node): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      // A language code is a value, not a text ('en' as the fallback language).
      if (hasLetters(node.text)) report(node, node.text);
      return;
    }
    // A comparison's strings (`chat.type === 'private'`) decide which text, they are not one.
    if (ts.isBinaryExpression(node) && COMPARISONS.has(node.operatorToken.kind)) return;
    if (ts.isTypeOfExpression(node)) return;
    if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
      if (hasLetters(parts)) report(node, parts);
      node.templateSpans.forEach((s) => check(s.expression));
      return;
    }
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (CATALOGUE_CALLS.has(name)) {
        // The key is a literal by design; its parameters are checked.
        node.arguments.forEach((a) => {
          if (!isKey(a)) check(a);
        });
        return;
      }
      // `x.join(' · ')`, `x.slice(0, 9)`: the receiver matters, a separator does not.
      if (ts.isPropertyAccessExpression(callee)) check(callee.expression);
      node.arguments.forEach((a) => {
        if (!ts.isStringLiteral(a)) check(a);
      });
      return;
    }
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties)
        if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && TEXT_PROPS.has(p.name.text)) check(p.initializer);
        else if (ts.isShorthandPropertyAssignment(p) && TEXT_PROPS.has(p.name.text)) check(p.name);
      return;
    }
    if (ts.isIdentifier(node)) {
      const init = constants.get(node.text);
      if (init) check(init);
      return;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return void check(node.body);
    ts.forEachChild(node, check);
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      if (REPLYING.has(name)) node.arguments.forEach(check);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'CommandError')
      node.arguments?.forEach(check);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('every reply comes from the catalogue', () => {
  const all = files(join(ROOT, 'bots')).map((f) => ({ file: relative(ROOT, f), found: violations(f) }));

  it('finds no reply text built from a string literal outside the catalogue', () => {
    const dirty = all.filter((f) => f.found.length > 0 && !NOT_YET.has(f.file));
    expect(dirty.map((f) => `${f.file}\n  ${f.found.join('\n  ')}`)).toEqual([]);
  });

  it('lists as not yet moved only files that still need it', () => {
    const clean = all.filter((f) => NOT_YET.has(f.file) && f.found.length === 0).map((f) => f.file);
    expect(clean).toEqual([]);
    expect([...NOT_YET].filter((f) => !all.some((a) => a.file === f))).toEqual([]);
  });

  it('catches a literal reply (the scan itself works)', () => {
    const probe = join(ROOT, 'test', 'i18n', 'fixtures', 'literal-reply.ts.txt');
    expect(violations(probe).map((v) => v.replace(/^\d+: /, ''))).toEqual([
      'Hello there',
      'Checking {url} now',
      'No way',
      'Press me',
      'built elsewhere',
    ]);
  });
});
