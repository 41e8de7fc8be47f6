import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export type UiLanguage = 'zh-CN' | 'en';

/** The shell: header (language, color scheme, store indicator), navigation and ready marker. */
export class AppPage {
  readonly root: Locator;
  readonly productName: Locator;
  readonly languageSwitch: Locator;
  readonly colorSchemeToggle: Locator;
  readonly storeIndicator: Locator;
  readonly pageTitle: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('html');
    this.productName = page.getByTestId('product-name');
    this.languageSwitch = page.getByTestId('language-switch');
    this.colorSchemeToggle = page.getByTestId('color-scheme-toggle');
    this.storeIndicator = page.getByTestId('store-indicator');
    this.pageTitle = page.getByTestId('page-title');
  }

  /** Opens the bridge URL (with its token), optionally at a hash route, and waits until ready. */
  async open(bridgeUrl: string, route?: string): Promise<void> {
    await this.page.goto(route ? `${bridgeUrl}#/${route}` : bridgeUrl);
    await this.waitReady();
  }

  async waitReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-app-state', 'ready');
  }

  navLink(path: string): Locator {
    return this.page.getByTestId(`nav-${path}`);
  }

  async goTo(path: string): Promise<void> {
    await this.navLink(path).click();
    await expect(this.page).toHaveURL(new RegExp(`#/${path}$`));
  }

  async setLanguage(language: UiLanguage): Promise<void> {
    await this.languageSwitch.getByText(language === 'zh-CN' ? '中文' : 'English', { exact: true }).click();
    await expect(this.root).toHaveAttribute('lang', language);
  }

  async setColorScheme(scheme: 'light' | 'dark'): Promise<void> {
    if ((await this.root.getAttribute('data-mantine-color-scheme')) !== scheme)
      await this.colorSchemeToggle.click();
    await expect(this.root).toHaveAttribute('data-mantine-color-scheme', scheme);
  }

  /**
   * Full-page screenshots of the current screen in both languages and both color schemes, as
   * `<dir>/<name>-<zh|en>-<light|dark>.png`; the mouse rests at (700, mouseY) so that no tooltip of
   * the header's toggles is in the picture; `ready` waits for what each language must show first.
   * Ends in zh-CN, light.
   */
  async screenshotEveryLook(
    dir: string,
    name: string,
    mouseY = 980,
    ready?: (language: 'zh-CN' | 'en') => Promise<void>,
  ): Promise<void> {
    for (const language of ['zh-CN', 'en'] as const)
      for (const scheme of ['light', 'dark'] as const) {
        await this.setLanguage(language);
        await this.setColorScheme(scheme);
        await ready?.(language);
        await this.page.mouse.move(700, mouseY);
        await this.page.waitForTimeout(400);
        await this.page.screenshot({
          path: join(dir, `${name}-${language === 'zh-CN' ? 'zh' : 'en'}-${scheme}.png`),
          fullPage: true,
        });
      }
    await this.setLanguage('zh-CN');
    await this.setColorScheme('light');
  }
}
