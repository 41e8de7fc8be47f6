import { expect, type Locator, type Page } from '@playwright/test';

/** Who operates: the first operator of an empty store, signing in, the header's operator menu. */
export class SessionPage {
  readonly firstOperator: Locator;
  readonly signInScreen: Locator;
  readonly operatorMenu: Locator;

  constructor(readonly page: Page) {
    this.firstOperator = page.getByTestId('first-operator');
    this.signInScreen = page.getByTestId('sign-in-screen');
    this.operatorMenu = page.getByTestId('operator-menu');
  }

  async createFirstOperator(o: { id: string; name: string; pin: string; pin2?: string }): Promise<void> {
    await this.page.getByTestId('first-id').fill(o.id);
    await this.page.getByTestId('first-name').fill(o.name);
    await this.page.getByTestId('first-pin').fill(o.pin);
    await this.page.getByTestId('first-pin2').fill(o.pin2 ?? o.pin);
    await this.page.getByTestId('first-submit').click();
  }

  /** Signs in (or switches to) an operator, with their PIN when they have one. */
  async signInAs(operatorId: string, pin?: string): Promise<void> {
    await this.page.getByTestId(`operator-${operatorId}`).click();
    if (pin) await this.page.getByTestId('sign-in-pin').fill(pin);
    await this.page.getByTestId('sign-in-submit').click();
    await expect(this.operatorMenu).toHaveAttribute('data-operator', operatorId);
  }

  async switchTo(operatorId: string, pin?: string): Promise<void> {
    await this.operatorMenu.click();
    await this.page.getByTestId('switch-operator').click();
    await this.signInAs(operatorId, pin);
  }
}
