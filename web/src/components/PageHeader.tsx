import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** The page's h1; unless focus=false (forms that focus their first field) it takes focus when the page opens so screen readers announce the new page. */
export function PageHeader({ title, children, focus = true }: { title: string; children?: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title + ' · Vigil';
    if (focus) ref.current?.focus({ preventScroll: true });
  }, [title, focus]);
  return (
    <header class="page-header">
      <h1 ref={ref} tabIndex={-1}>{title}</h1>
      {children ? <div class="page-header-extra">{children}</div> : null}
    </header>
  );
}
