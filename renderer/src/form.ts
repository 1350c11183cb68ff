/** The form controls the settings panel and the first-run screen share. */
import type { DataCenterId } from '../../common/model'
import type { Bounds } from '../../common/settings'
import { h } from './dom'
import { DATA_CENTER_LABEL } from './format'

export function dataCenterSelect(id: string, selected: DataCenterId = 'US'): HTMLSelectElement {
  const select = h(
    'select',
    { id },
    ...Object.entries(DATA_CENTER_LABEL).map(([value, label]) => h('option', { value }, label)),
  )
  select.value = selected
  return select
}

/** A whole-number input limited to one of SETTINGS_BOUNDS, so a person cannot send what the rules would refuse. */
export function numberInput(id: string, value: number, bounds: Bounds): HTMLInputElement {
  const { min, max } = bounds
  const input = h('input', { id, type: 'number', min, max, step: 1, inputmode: 'numeric', required: true })
  input.value = String(value)
  return input
}

export function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control)
}

export function fieldset(legend: string, ...children: Node[]): HTMLElement {
  return h('fieldset', {}, h('legend', {}, legend), ...children)
}
