import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/** 数据同步: drop zone, one card per file (preview → import → result), history, API sources. */
export class SyncPage extends AppPage {
  readonly dropzoneInput: Locator;
  readonly historyTab: Locator;
  readonly filesTab: Locator;
  readonly apiTab: Locator;
  readonly history: Locator;

  constructor(page: Page) {
    super(page);
    this.dropzoneInput = page.getByTestId('dropzone-input');
    this.historyTab = page.getByTestId('tab-history');
    this.filesTab = page.getByTestId('tab-files');
    this.apiTab = page.getByTestId('tab-api');
    this.history = page.getByTestId('history');
  }

  /** Adds files the way the dropzone does (its hidden input). */
  async addFiles(files: string | string[]): Promise<void> {
    await this.dropzoneInput.setInputFiles(files);
  }

  /** The card of one file, by its name. */
  file(name: string): FileCardModel {
    return new FileCardModel(this.page.locator(`[data-testid="sync-file"][data-file="${name}"]`));
  }

  historyRow(fileName: string): Locator {
    return this.history.locator(`tr[data-file="${fileName}"]`).first();
  }

  /** Opens the rejected lines of an import (click on its row). */
  async openRejections(fileName: string): Promise<Locator> {
    await this.historyRow(fileName).locator('[data-cell="file"]').click();
    const table = this.page.getByTestId('history-rejections');
    await expect(table).toBeVisible();
    return table;
  }

  historyCount(row: Locator, key: 'added' | 'updated' | 'unchanged' | 'rejected' | 'dangling'): Locator {
    return row.locator(`[data-cell="${key}"]`);
  }
}

export class FileCardModel {
  readonly sourceSelect: Locator;
  readonly sourceOrigin: Locator;
  readonly format: Locator;
  readonly encoding: Locator;
  readonly mapping: Locator;
  readonly previewRows: Locator;
  readonly errors: Locator;
  readonly noErrors: Locator;
  readonly importButton: Locator;
  readonly importValidButton: Locator;
  readonly cancelButton: Locator;
  readonly progress: Locator;
  readonly cancelImportButton: Locator;
  readonly result: Locator;

  constructor(readonly root: Locator) {
    this.sourceSelect = root.getByTestId('source-select');
    this.sourceOrigin = root.getByTestId('source-origin');
    this.format = root.getByTestId('format');
    this.encoding = root.getByTestId('encoding');
    this.mapping = root.getByTestId('mapping');
    this.previewRows = root.getByTestId('preview-rows');
    this.errors = root.getByTestId('preview-errors');
    this.noErrors = root.getByTestId('no-errors');
    this.importButton = root.getByTestId('import');
    this.importValidButton = root.getByTestId('import-valid');
    this.cancelButton = root.getByTestId('cancel-file');
    this.progress = root.getByTestId('import-progress');
    this.cancelImportButton = root.getByTestId('cancel-import');
    this.result = root.getByTestId('import-result');
  }

  /** Overrides the detected source (the select's option label, e.g. "客户 · customers"). */
  async chooseSource(label: string): Promise<void> {
    await this.sourceSelect.click();
    await this.root.page().getByRole('option', { name: label }).click();
    await this.waitPreview();
  }

  async waitPreview(timeout = 30_000): Promise<void> {
    await expect(this.root).toHaveAttribute('data-phase', 'ready', { timeout });
  }

  mappingRow(header: string): Locator {
    return this.mapping.locator(`tr[data-header="${header}"]`);
  }

  errorRow(line: number): Locator {
    return this.errors.locator(`tr[data-line="${line}"]`);
  }

  resultCount(key: 'added' | 'updated' | 'unchanged' | 'rejected' | 'dangling'): Locator {
    return this.result.locator(`[data-result="${key}"] [data-value]`);
  }
}
