import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** The action buttons, right-aligned at the bottom. */
  actions?: ComponentChildren;
}

/**
 * A modal dialog on the native <dialog> element: focus is kept inside, Escape closes it, and
 * focus returns to where it was when it closes.
 */
export function Dialog({ open, title, onClose, children, actions }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const returnFocus = useRef<Element | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    if (open && !el.open) {
      returnFocus.current = document.activeElement;
      el.showModal();
    } else if (!open && el.open) {
      el.close();
      const back = returnFocus.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    }
  }, [open]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el?.open) el.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <div class="dialog-inner">
          <h2 id={titleId} class="dialog-title">{title}</h2>
          <div class="dialog-body">{children}</div>
          {actions ? <div class="dialog-actions">{actions}</div> : null}
        </div>
      ) : null}
    </dialog>
  );
}
