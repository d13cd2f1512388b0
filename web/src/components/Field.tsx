import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onInput' | 'id' | 'class' | 'className' | 'type' | 'required' | 'autoComplete' | 'inputMode' | 'label'> {
  label: string;
  value: string;
  onValue: (value: string) => void;
  type?: string;
  hint?: ComponentChildren;
  error?: string | null;
  required?: boolean;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'none' | 'tel' | 'search' | 'email' | 'url' | 'decimal';
  mono?: boolean;
}

/** A labelled text input with an optional hint and error, both tied to the input by aria-describedby. */
export function Field({ label, value, onValue, type = 'text', hint, error, required = false, mono = false, autoComplete, inputMode, ...rest }: FieldProps) {
  const id = useId();
  const hintId = id + '-hint';
  const errorId = id + '-error';
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter((x) => x !== null).join(' ');
  return (
    <div class={'field' + (error ? ' field-invalid' : '')}>
      <label for={id}>{label}</label>
      <input
        {...rest}
        id={id}
        type={type}
        class={mono ? 'mono' : undefined}
        value={value}
        required={required}
        autocomplete={autoComplete}
        inputMode={inputMode}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy.length > 0 ? describedBy : undefined}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {hint ? <p class="field-hint" id={hintId}>{hint}</p> : null}
      {error ? <p class="field-error" id={errorId}>{error}</p> : null}
    </div>
  );
}

export interface SelectFieldProps {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  hint?: ComponentChildren;
  error?: string | null;
}

export function SelectField({ label, value, onValue, options, hint, error }: SelectFieldProps) {
  const id = useId();
  const hintId = id + '-hint';
  const errorId = id + '-error';
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter((x) => x !== null).join(' ');
  return (
    <div class={'field' + (error ? ' field-invalid' : '')}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy.length > 0 ? describedBy : undefined}
        onChange={(e) => onValue((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </select>
      {hint ? <p class="field-hint" id={hintId}>{hint}</p> : null}
      {error ? <p class="field-error" id={errorId}>{error}</p> : null}
    </div>
  );
}
