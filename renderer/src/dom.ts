/**
 * A tiny element builder and the keyboard behaviour of tab lists. No framework: the window is small and re-renders
 * whole regions, keeping focus on the element with the same id.
 */

type Child = Node | string | number | null | undefined | false
type AttrValue = string | number | boolean | null | undefined
type Attrs = Record<string, AttrValue | ((event: Event) => void)>

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value)
    else if (value === true) el.setAttribute(name, '')
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value))
  }
  el.append(...children.filter(isPresent).map((c) => (typeof c === 'number' ? String(c) : c)))
  return el
}

/** Replace a region's content; focus stays on the element with the same id if it still exists. */
export function replaceKeepingFocus(region: Element, ...children: Node[]): void {
  const active = document.activeElement
  const focusedId = active && region.contains(active) ? active.id : ''
  region.replaceChildren(...children)
  if (focusedId) document.getElementById(focusedId)?.focus()
}

/**
 * Runs `task` once, after the frame being prepared is on screen: a message posted from a frame callback is handled
 * after that frame is painted. A hidden window paints no frames, so a timer stands in for the paint there.
 */
export function afterPaint(task: () => void): void {
  let done = false
  const once = () => {
    if (done) return
    done = true
    task()
  }
  requestAnimationFrame(() => {
    const channel = new MessageChannel()
    channel.port1.onmessage = once
    channel.port2.postMessage(null)
  })
  setTimeout(once, HIDDEN_WINDOW_PAINT_MS)
}

const HIDDEN_WINDOW_PAINT_MS = 200

export interface TabOption<T extends string> {
  value: T
  label: Child
  id: string
  /** The accessible name, when the visible label is terse. */
  ariaLabel?: string
}

/**
 * A WAI-ARIA tab list: one tab stop, arrow keys (and Home/End) move and select, Enter/Space select.
 * Selecting calls `onSelect`; the caller re-renders and the focus follows the selected tab's id.
 */
export function tabList<T extends string>(
  label: string,
  options: TabOption<T>[],
  selected: T,
  controls: string,
  onSelect: (value: T) => void,
  className = 'tabs',
): HTMLElement {
  const tabs = options.map((o) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: o.id,
        'aria-selected': String(o.value === selected),
        'aria-controls': controls,
        'aria-label': o.ariaLabel,
        tabindex: o.value === selected ? 0 : -1,
        onclick: () => onSelect(o.value),
      },
      o.label,
    ),
  )
  const list = h('div', { role: 'tablist', 'aria-label': label, class: className }, ...tabs)
  list.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(event.target as HTMLButtonElement)
    const next = nextIndex(event.key, index, tabs.length)
    if (index < 0 || next === null) return
    event.preventDefault()
    const option = options[next]
    if (option) {
      tabs[next]?.focus()
      onSelect(option.value)
    }
  })
  return list
}

function nextIndex(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count
    case 'Home':
      return 0
    case 'End':
      return count - 1
    default:
      return null
  }
}

function isPresent(c: Child): c is Node | string | number {
  return c !== null && c !== undefined && c !== false
}
