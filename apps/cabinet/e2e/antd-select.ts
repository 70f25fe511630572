// Picking an option in an antd Select the way a user does, robust to a busy machine: the click
// can land while the dropdown is still opening, so the pick is checked and retried.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The options of the antd Select dropdown that is open now. */
export const openDropdown = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option';

/**
 * Picks `option` in the antd Select whose input has `id` (its search filled with `search` first if
 * given) and checks the select shows it, retrying up to three times. A dropdown left open
 * (multiple selects, `close`) is closed by clicking the open drawer's or dialog's title, not by
 * Escape, which would close the drawer too.
 */
export async function choose(page: Page, id: string, option: string, search?: string, close = false) {
  const select = page.locator('.ant-select', { has: page.locator(`#${id}`) });
  const outside = page.locator('.ant-drawer-title, .ant-modal-title').filter({ visible: true }).last();
  for (let attempt = 1; ; attempt++) {
    await page.locator(`#${id}`).click();
    if (search) await page.locator(`#${id}`).fill(search);
    try {
      await page
        .locator(openDropdown, { hasText: option })
        .filter({ visible: true })
        .first()
        .click({ timeout: 10_000 });
      await expect.poll(() => select.innerText(), { timeout: 3_000 }).toContain(option);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await outside.click();
    }
  }
  if (close) await outside.click();
}

/** The nodes of the antd TreeSelect dropdown that is open now. */
export const openTree = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title';

/**
 * Picks the node `title` in the antd TreeSelect whose input has `id`, typing `search` first to
 * find it in collapsed branches, and checks the select shows `shown` (the chosen node's path),
 * retrying up to three times; the dropdown is then closed as in `choose`.
 */
export async function chooseInTree(page: Page, id: string, title: string, shown: string, search?: string) {
  const select = page.locator('.ant-select', { has: page.locator(`#${id}`) });
  const outside = page.locator('.ant-drawer-title, .ant-modal-title').filter({ visible: true }).last();
  for (let attempt = 1; ; attempt++) {
    await page.locator(`#${id}`).click();
    if (search) await page.locator(`#${id}`).fill(search);
    try {
      await page
        .locator(openTree, { hasText: new RegExp(`^${title}$`) })
        .filter({ visible: true })
        .first()
        .click({ timeout: 10_000 });
      await expect.poll(() => select.innerText(), { timeout: 3_000 }).toContain(shown);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await outside.click();
    }
  }
  await outside.click();
}
