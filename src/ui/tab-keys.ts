import type { KeyboardEvent } from 'react';

/**
 * Left/Right arrows move between the tabs of a tablist (WAI-ARIA tabs pattern), wrapping at the ends.
 * Returns a keydown handler that calls `select` with the neighbouring tab's id.
 */
export function arrowKeysBetweenTabs<T>(
  tabs: readonly { id: T }[],
  current: T,
  select: (id: T) => void,
): (e: KeyboardEvent<HTMLDivElement>) => void {
  return (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    e.stopPropagation();
    const i = tabs.findIndex((t) => t.id === current);
    const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next) select(next.id);
  };
}
