// A small CEL-aware layer for the rule-set editor (no CEL language package
// exists for CodeMirror 6): the rules are JSON (lang-json) whose "when"
// strings are CEL expressions evaluated by the server (health/compile.go,
// seed 003 §五(二) 实时调整规则). Inside a "when" string it completes the
// variables and functions the server's CEL environment declares (mustEnv:
// person, now, params, key_areas, under(), v.within_days(n)) and CEL's
// standard macros; inside "colour" the three colours a rule may give. Lint
// markers come from the JSON parser and from the server's dry run
// (previewRuleSet's problems), placed on the rule and field they name.
import { syntaxTree } from '@codemirror/language';
import type { EditorState } from '@codemirror/state';
import type { SyntaxNode } from '@lezer/common';
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';

/** The fields of health.person (health/compile.go, cel tags), with their CEL types. */
export const personFields: [string, string, string][] = [
  ['risk', 'string', "NONE, CLOSE_CONTACT, QUARANTINED, SUSPECTED, CONFIRMED"],
  ['has_quarantine_end', 'bool', ''],
  ['quarantine_ends', 'timestamp', ''],
  ['symptomatic', 'bool', ''],
  ['has_temperature', 'bool', ''],
  ['temperature', 'double', '°C'],
  ['temperature_at', 'timestamp', ''],
  ['valid_test_within_7_days', 'bool', ''],
  ['region', 'string', 'GB/T 2260'],
  ['visited', 'list(health.visit)', ''],
];

/** The fields and method of health.visit. */
export const visitFields: [string, string, string][] = [
  ['region', 'string', ''],
  ['date', 'timestamp', ''],
  ['days_ago', 'int', ''],
];

const variables: Completion[] = [
  { label: 'person', type: 'variable', detail: 'health.person' },
  { label: 'now', type: 'variable', detail: 'timestamp' },
  { label: 'params', type: 'variable', detail: 'map(string, double)' },
  { label: 'key_areas', type: 'variable', detail: 'list(string)' },
];

const functions: Completion[] = [
  { label: 'under', type: 'function', detail: '(string, list(string)) → bool', apply: 'under(' },
  { label: 'size', type: 'function', detail: '→ int', apply: 'size(' },
  { label: 'has', type: 'function', detail: 'macro', apply: 'has(' },
  { label: 'timestamp', type: 'function', detail: '(string) → timestamp', apply: 'timestamp(' },
  { label: 'duration', type: 'function', detail: "(string) → duration, e.g. duration('24h')", apply: 'duration(' },
  { label: 'int', type: 'function', apply: 'int(' },
  { label: 'double', type: 'function', apply: 'double(' },
  { label: 'string', type: 'function', apply: 'string(' },
  { label: 'true', type: 'keyword' },
  { label: 'false', type: 'keyword' },
];

/** Members that follow a dot whatever the receiver (macros and string functions). */
const members: Completion[] = [
  { label: 'exists', type: 'method', detail: 'macro: l.exists(x, p)', apply: 'exists(' },
  { label: 'all', type: 'method', detail: 'macro: l.all(x, p)', apply: 'all(' },
  { label: 'exists_one', type: 'method', detail: 'macro', apply: 'exists_one(' },
  { label: 'filter', type: 'method', detail: 'macro', apply: 'filter(' },
  { label: 'map', type: 'method', detail: 'macro', apply: 'map(' },
  { label: 'startsWith', type: 'method', detail: '(string) → bool', apply: 'startsWith(' },
  { label: 'endsWith', type: 'method', detail: '(string) → bool', apply: 'endsWith(' },
  { label: 'contains', type: 'method', detail: '(string) → bool', apply: 'contains(' },
  { label: 'within_days', type: 'method', detail: 'visit.within_days(int) → bool', apply: 'within_days(' },
];

const risks = ['NONE', 'CLOSE_CONTACT', 'QUARANTINED', 'SUSPECTED', 'CONFIRMED'];

/** The name of the property whose value node is at `node`, if any. */
function propertyOf(state: EditorState, node: SyntaxNode): string | null {
  const prop = node.parent;
  if (!prop || prop.name !== 'Property') return null;
  const name = prop.getChild('PropertyName');
  if (!name) return null;
  return state.sliceDoc(name.from + 1, name.to - 1);
}

/** The parameter names of the document's "params" object (for params.<name>). */
function paramNames(state: EditorState): string[] {
  const top = syntaxTree(state).topNode.getChild('Object');
  const params = top && property(state, top, 'params');
  const obj = params?.getChild('Object');
  if (!obj) return [];
  return obj.getChildren('Property').flatMap((p) => {
    const n = p.getChild('PropertyName');
    return n ? [state.sliceDoc(n.from + 1, n.to - 1)] : [];
  });
}

function property(state: EditorState, obj: SyntaxNode, name: string): SyntaxNode | null {
  for (const p of obj.getChildren('Property')) {
    const n = p.getChild('PropertyName');
    if (n && state.sliceDoc(n.from + 1, n.to - 1) === name) return p;
  }
  return null;
}

/** The value node of a property (its last child). */
function valueOf(prop: SyntaxNode): SyntaxNode | null {
  return prop.lastChild && prop.lastChild.name !== ':' ? prop.lastChild : null;
}

/** Autocompletion in the "when" (CEL) and "colour" strings of the rules. */
export function celCompletions(ctx: CompletionContext): CompletionResult | null {
  const node = syntaxTree(ctx.state).resolveInner(ctx.pos, -1);
  let before: string;
  if (node.name === 'String' && ctx.pos > node.from && ctx.pos < node.to) {
    const prop = propertyOf(ctx.state, node);
    if (prop === 'colour') {
      return { from: node.from + 1, to: node.to - 1, options: ['RED', 'ORANGE', 'YELLOW'].map((c) => ({ label: c, type: 'enum' })) };
    }
    if (prop !== 'when') return null;
    before = ctx.state.sliceDoc(node.from + 1, ctx.pos);
  } else {
    // A "when" string not closed yet (the parser sees no String node).
    const line = ctx.state.doc.lineAt(ctx.pos);
    const open = ctx.state.sliceDoc(line.from, ctx.pos).match(/"when"\s*:\s*"((?:[^"\\]|\\.)*)$/);
    if (!open) return null;
    before = open[1];
  }
  // Inside a quoted CEL string literal: the risk values.
  const quote = before.match(/'([A-Z_]*)$/);
  if (quote && (before.split("'").length - 1) % 2 === 1) {
    return { from: ctx.pos - quote[1].length, options: risks.map((r) => ({ label: r, type: 'constant' })) };
  }
  const dotted = before.match(/([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_0-9]*)$/);
  if (dotted) {
    const [, receiver, partial] = dotted;
    const from = ctx.pos - partial.length;
    if (receiver === 'person') {
      return { from, options: personFields.map(([label, detail, info]) => ({ label, detail, info: info || undefined, type: 'property' })), validFor: /^\w*$/ };
    }
    if (receiver === 'params') {
      return { from, options: paramNames(ctx.state).map((label) => ({ label, type: 'property', detail: 'double' })), validFor: /^\w*$/ };
    }
    // Any other receiver: a visit bound by a macro (v.region…) or a list or string.
    const visit = visitFields.map(([label, detail]) => ({ label, detail, type: 'property' }));
    return { from, options: [...visit, ...members], validFor: /^\w*$/ };
  }
  const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_]*$/);
  if (!word && !ctx.explicit) return null;
  return { from: word ? word.from : ctx.pos, options: [...variables, ...functions], validFor: /^\w*$/ };
}

/** A problem of the server's dry run (previewRuleSet), as the editor needs it. */
export interface Problem {
  rule?: number | null;
  ruleName?: string | null;
  field: string;
  message: string;
  offset?: number | null;
}

/**
 * Where a problem lies in the document: the field of the rule it names (the
 * character of a "when" the expression engine stopped at, when known), the
 * rule, the top-level property, or the first line.
 */
export function problemRange(state: EditorState, p: Problem): { from: number; to: number } {
  const first = { from: 0, to: Math.min(state.doc.length, state.doc.line(1).to) };
  const top = syntaxTree(state).topNode.getChild('Object');
  if (!top) return first;
  if (p.rule == null) {
    const prop = property(state, top, p.field === 'samples' ? 'rules' : p.field);
    const n = prop?.getChild('PropertyName');
    return n ? { from: n.from, to: n.to } : first;
  }
  const rulesProp = property(state, top, 'rules');
  const arr = rulesProp && valueOf(rulesProp);
  const rule = arr?.name === 'Array' ? arr.getChildren('Object')[p.rule] : undefined;
  if (!rule) return first;
  const prop = property(state, rule, p.field === 'samples' ? 'when' : p.field);
  const value = prop && valueOf(prop);
  if (!value) return { from: rule.from, to: Math.min(rule.to, state.doc.lineAt(rule.from).to + 1) };
  if (p.field === 'when' && p.offset != null && value.name === 'String') {
    const raw = state.sliceDoc(value.from + 1, value.to - 1);
    const lead = raw.length - raw.trimStart().length;
    const at = Math.min(value.to - 1, value.from + 1 + lead + p.offset);
    return { from: at, to: Math.min(value.to - 1, at + 1) };
  }
  return { from: value.from, to: value.to };
}

/** The server's problems as lint diagnostics. */
export function problemDiagnostics(state: EditorState, problems: readonly Problem[]): Diagnostic[] {
  return problems.map((p) => {
    const { from, to } = problemRange(state, p);
    return { from, to, severity: 'error', message: p.ruleName ? `${p.ruleName}：${p.message}` : p.message, source: p.field };
  });
}
