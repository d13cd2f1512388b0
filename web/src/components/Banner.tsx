import type { ComponentChildren } from 'preact';

export type BannerTone = 'info' | 'success' | 'warning' | 'error';

export interface BannerProps {
  tone?: BannerTone;
  title?: string;
  children?: ComponentChildren;
  /** Errors and warnings interrupt (role=alert); information is polite (role=status). */
  live?: boolean;
  class?: string;
}

export function Banner({ tone = 'info', title, children, live = true, class: extra }: BannerProps) {
  const role = !live ? undefined : tone === 'error' || tone === 'warning' ? 'alert' : 'status';
  return (
    <div class={'banner banner-' + tone + (extra ? ' ' + extra : '')} role={role}>
      {title ? <p class="banner-title">{title}</p> : null}
      {children ? <div class="banner-body">{children}</div> : null}
    </div>
  );
}
