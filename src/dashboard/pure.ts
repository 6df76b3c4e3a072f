import { Component, type ComponentChildren, type FunctionComponent, h } from 'preact';

const differ = (a: object, b: object) => {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key in x) if (!(key in y) || x[key] !== y[key]) return true;
  for (const key in y) if (!(key in x)) return true;
  return false;
};

/**
 * `Inner`, drawn again only when one of its props is a different value: a live event that
 * changes one panel's data leaves the other panels alone. Props must keep their identity while
 * unchanged (the reducer's arrays, callbacks from useCallback).
 */
export function pure<P extends object>(Inner: FunctionComponent<P>) {
  return class Pure extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return differ(this.props, next);
    }
    override render(props: P): ComponentChildren {
      return h(Inner, props);
    }
  };
}
