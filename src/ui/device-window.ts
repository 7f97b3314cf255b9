// The device list of a big lab (issue 18: 5,000 spokes made 5,000 buttons at every load): only the rows in
// view are rendered, and a filter finds a device by name. Pure arithmetic, tested in device-window.test.ts.

/** Devices above which the list renders only the rows in view and offers a filter. */
export const WINDOWED_ABOVE = 200;
/** Rows rendered beyond each edge of the view, so a scroll of a few rows shows rows already there. */
export const OVERSCAN_ROWS = 10;

/** The rows `[first, last)` to render for a scroll box `viewport` px tall scrolled `scrollTop` px down. */
export function rowWindow(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  count: number,
  overscan = OVERSCAN_ROWS,
): { first: number; last: number } {
  if (count <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const bottom = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / rowHeight) + overscan;
  const first = Math.min(top, count);
  return { first, last: Math.max(first, Math.min(count, bottom)) };
}

/**
 * The scroll offset that shows row `index` (a device selected on the topology): unchanged when it is already in
 * view, else the row at the nearest edge of the view.
 */
export function scrollToShow(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return Math.max(0, top + rowHeight - viewport);
  return scrollTop;
}

/**
 * Devices whose name contains `query` (case-insensitive; an exact name first, so typing `GM-5` finds GM-5
 * before GM-50 and GM-5000). An empty query keeps every device in its order.
 */
export function filterDevices<T extends { readonly name: string }>(
  devices: readonly T[],
  query: string,
): T[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...devices];
  const exact: T[] = [];
  const partial: T[] = [];
  for (const d of devices) {
    const name = d.name.toLowerCase();
    if (name === q) exact.push(d);
    else if (name.includes(q)) partial.push(d);
  }
  return [...exact, ...partial];
}
