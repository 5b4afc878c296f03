// The CodeMirror 6 editor of a rule set: JSON with the CEL-aware layer of
// cel.ts (completions in "when" and "colour", lint markers from the JSON
// parser and from the server's dry run).
import { useEffect, useRef } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { autocompletion } from '@codemirror/autocomplete';
import { linter, lintGutter } from '@codemirror/lint';
import { StateEffect } from '@codemirror/state';
import { celCompletions, problemDiagnostics, type Problem } from './cel';

/** Dispatched when the dry run's problems change: the linter runs again. */
const refreshProblems = StateEffect.define<null>();

export interface Props {
  initial: string;
  onChange: (text: string) => void;
  /** The server's problems, for the text they were found in. */
  problems: { text: string; list: readonly Problem[] } | null;
}

export default function RuleEditor({ initial, onChange, problems }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(problems);
  const changed = useRef(onChange);
  changed.current = onChange;
  latest.current = problems;

  useEffect(() => {
    const parse = jsonParseLinter();
    const v = new EditorView({
      doc: initial,
      parent: host.current!,
      extensions: [
        basicSetup,
        json(),
        autocompletion({ override: [celCompletions] }),
        lintGutter(),
        // One source: the JSON parser's error, else the dry run's problems
        // while the text is the one that was dry-run.
        linter(
          (ev) => {
            const syntax = parse(ev);
            if (syntax.length > 0) return syntax;
            const p = latest.current;
            return p && p.text === ev.state.doc.toString() ? problemDiagnostics(ev.state, p.list) : [];
          },
          { delay: 300, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(refreshProblems))) },
        ),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed.current(u.state.doc.toString());
        }),
        EditorView.theme({ '&': { fontSize: '13px', border: '1px solid #d9d9d9', borderRadius: '6px' }, '.cm-scroller': { maxHeight: '420px', overflow: 'auto' } }),
      ],
    });
    view.current = v;
    return () => v.destroy();
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    view.current?.dispatch({ effects: refreshProblems.of(null) });
  }, [problems]);

  return <div ref={host} data-testid="rule-editor" />;
}
