import type { ComponentChildren } from 'preact';

/**
 * The box a wide table scrolls sideways in on a narrow screen. It takes focus
 * so the arrow keys can scroll it too (WCAG 2.1.1: nothing for the mouse
 * alone), and a name so a screen reader says what that stop is.
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
