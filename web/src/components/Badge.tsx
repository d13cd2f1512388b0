import type { BadgeTone } from '../format.ts';

export function Badge({ label, tone }: { label: string; tone: BadgeTone }) {
  return <span class={'badge badge-' + tone}>{label}</span>;
}
