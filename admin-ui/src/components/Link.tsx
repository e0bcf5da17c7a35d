import type { ComponentChildren } from 'preact';
import { BASE, navigate } from '../router';

interface Props {
  readonly to: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly current?: boolean;
}

/** A real link (open in a new tab works), followed without a page load. */
export function Link({ to, children, current, ...rest }: Props) {
  return (
    <a
      href={`${BASE}${to}`}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
      {...rest}
    >
      {children}
    </a>
  );
}
