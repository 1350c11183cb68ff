/**
 * Every CSV export (the history's "Export CSV", the seat holders' "Export list…"): ask where to save (Electron's save
 * dialog, handed in), then write the file. Kept apart from the shell (which imports electron) so the test host runs
 * this very code with a scripted dialog.
 */
import { join } from 'node:path'
import type { HistoryRange } from '../../common/model'
import { writeFileAtomic } from '../core/atomic-file'

/** What the dialog says and the file name it suggests (in the person's Documents folder). */
export interface CsvFile {
  title: string
  fileName: string
}

export function historyCsvFile(range: HistoryRange): CsvFile {
  return { title: 'Export seat history', fileName: `seat-history-${range}.csv` }
}

export interface SaveDialogOptions {
  title: string
  defaultPath: string
  filters: { name: string; extensions: string[] }[]
}

/** Electron's dialog.showSaveDialog, bound to the window it belongs to. */
export type AskWhereToSave = (options: SaveDialogOptions) => Promise<{ canceled: boolean; filePath?: string }>

export async function saveCsvAs(
  ask: AskWhereToSave,
  documentsDir: string,
  csv: string,
  file: CsvFile,
): Promise<{ saved: boolean; path?: string }> {
  const choice = await ask({
    title: file.title,
    defaultPath: join(documentsDir, file.fileName),
    filters: [{ name: 'CSV', extensions: ['csv'] }],
  })
  if (choice.canceled || !choice.filePath) return { saved: false }
  // Never half a file where the person asked for one: a full disk leaves what was there.
  writeFileAtomic(choice.filePath, csv, { mode: 0o644, task: 'save the CSV file' })
  return { saved: true, path: choice.filePath }
}
