/**
 * A map keyed by elements that does not hash its keys while it is small.
 *
 * Putting a DOM element into a Map, Set, WeakMap or WeakSet gives its JavaScript wrapper an
 * identity hash, and the browser keeps a wrapper that has one for as long as the page keeps the
 * element. In the bench, a Set of each post's candidates (built and cleared at once) made the heap
 * grow by 4 MB over 15,000 posts; the same elements only read, by 0.2 MB. A scan of one post
 * finds a handful of candidates, so up to SMALL entries are kept in arrays and found by a linear
 * search; a bigger scan (a full pass) switches to a Map, whose cost is then paid once per element
 * of a page rather than once per post of a feed.
 */
const SMALL = 64;

export class ElementMap<V> {
  /** The keys and their values, in the order they were first set. */
  readonly keys: Element[] = [];
  readonly values: V[] = [];
  #index: Map<Element, number> | null = null;

  get(el: Element): V | undefined {
    const i = this.#find(el);
    return i < 0 ? undefined : this.values[i];
  }

  set(el: Element, value: V): void {
    const i = this.#find(el);
    if (i >= 0) {
      this.values[i] = value;
      return;
    }
    this.keys.push(el);
    this.values.push(value);
    if (this.#index) this.#index.set(el, this.keys.length - 1);
    else if (this.keys.length > SMALL) this.#index = new Map(this.keys.map((k, j) => [k, j]));
  }

  #find(el: Element): number {
    return this.#index ? (this.#index.get(el) ?? -1) : this.keys.indexOf(el);
  }
}
