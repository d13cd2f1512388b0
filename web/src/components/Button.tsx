import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'class' | 'className' | 'disabled' | 'children'> {
  variant?: ButtonVariant;
  type?: 'button' | 'submit';
  busy?: boolean;
  disabled?: boolean;
  small?: boolean;
  children: ComponentChildren;
}

/** A button; `busy` disables it and says so to assistive technology. */
export function Button({ variant = 'secondary', type = 'button', busy = false, disabled = false, small = false, children, ...rest }: ButtonProps) {
  const classes = ['btn', 'btn-' + variant];
  if (small) classes.push('btn-small');
  return (
    <button {...rest} type={type} class={classes.join(' ')} disabled={disabled || busy} aria-busy={busy ? 'true' : undefined}>
      {children}
    </button>
  );
}
