import { useEffect, useId, useState } from 'react';
import type { FieldSpec, RunConfig } from '../../core/config';
import { parseFieldValue } from '../../core/config';
import { labelOf, SPACE_LABELS } from '../fields';

type Value = RunConfig[keyof RunConfig];

interface Props {
  field: FieldSpec;
  value: Value;
  onCommit(v: Value): void;
  /** Marks a staged (not yet applied) value. */
  staged?: boolean;
  disabled?: boolean;
}

/**
 * One config field, labelled from the schema. Numbers commit on Enter, blur or the spinner (not on
 * every keystroke, so "0.05" never applies "0"); selects and checkboxes commit at once.
 */
export function Field({ field: f, value, onCommit, staged, disabled }: Props) {
  const id = useId();
  const [text, setText] = useState(String(value));
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => {
    setText(String(value));
    setErr(null);
  }, [value]);
  const label = labelOf(f);
  const commit = (raw: string) => {
    try {
      const v = parseFieldValue(f, raw);
      if (typeof v === 'number' && ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max))) {
        throw new Error(`between ${f.min} and ${f.max}`);
      }
      setErr(null);
      if (v !== value) onCommit(v);
    } catch (e) {
      setErr((e as Error).message.replace(/^\w+: /, ''));
    }
  };
  const cls = `field${staged ? ' staged' : ''}`;
  if (f.kind === 'bool') {
    return (
      <label className={`${cls} check`} title={f.help}>
        <input type="checkbox" checked={value as boolean} disabled={disabled} onChange={(e) => onCommit(e.target.checked)} />
        {label}
      </label>
    );
  }
  if (f.kind === 'enum') {
    return (
      <div className={cls} title={f.help}>
        <label htmlFor={id}>{label}</label>
        <select id={id} value={String(value)} disabled={disabled} onChange={(e) => onCommit(parseFieldValue(f, e.target.value))}>
          {f.choices!.map((c) => <option key={c} value={c}>{f.key === 'space' ? SPACE_LABELS[c] ?? c : c}</option>)}
        </select>
      </div>
    );
  }
  const numeric = f.kind === 'int' || f.kind === 'number';
  return (
    <div className={cls} title={f.help}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id} type={numeric ? 'number' : 'text'} inputMode={numeric ? 'decimal' : undefined} step={f.kind === 'int' ? 1 : 'any'}
        min={f.min} max={f.max} value={text} disabled={disabled} aria-invalid={err ? true : undefined} aria-describedby={err ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          // the spinner arrows and wheel change the value without typing: apply those at once
          if (!(e.nativeEvent as InputEvent).inputType) commit(e.target.value);
        }}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
      />
      {err && <small id={`${id}-err`} className="field-error">{err}</small>}
    </div>
  );
}
