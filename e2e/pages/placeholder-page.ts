import type { Locator, Page } from '@playwright/test';
import { AppPage } from './app-page';

/** A screen whose feature has not landed: title, one sentence, "coming in a later release". */
export class PlaceholderPage extends AppPage {
  readonly notice: Locator;

  constructor(page: Page) {
    super(page);
    this.notice = page.getByTestId('coming-soon');
  }
}
