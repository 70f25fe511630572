// Picking an option in an antd Select the way a user does, robust to a busy machine: the click
// can land while the dropdown is still opening, so the pick is checked and retried.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The options of the antd Select dropdown that is open now. */
export const openDropdown = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option';

/** What to click in an open dropdown and what the select must show afterwards. */
type Pick = { item: string; text: string | RegExp; shown: string; search?: string | undefined };

/**
 * Clicks `pick.item` with `pick.text` in the dropdown of the select whose input has `id` (its
 * search filled first if given) and checks the select shows `pick.shown`, retrying up to three
 * times. A dropdown left open is closed by clicking the open drawer's or dialog's title, not by
 * Escape, which would close the drawer too.
 */
async function pickIn(page: Page, id: string, pick: Pick, close: boolean) {
  const select = page.locator('.ant-select', { has: page.locator(`#${id}`) });
  const outside = page.locator('.ant-drawer-title, .ant-modal-title').filter({ visible: true }).last();
  for (let attempt = 1; ; attempt++) {
    await page.locator(`#${id}`).click();
    if (pick.search) await page.locator(`#${id}`).fill(pick.search);
    try {
      await page
        .locator(pick.item, { hasText: pick.text })
        .filter({ visible: true })
        .first()
        .click({ timeout: 10_000 });
      await expect.poll(() => select.innerText(), { timeout: 3_000 }).toContain(pick.shown);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await outside.click();
    }
  }
  if (close) await outside.click();
}

/**
 * Picks `option` in the antd Select whose input has `id` (its search filled with `search` first if
 * given) and checks the select shows it; `close` closes a dropdown left open (multiple selects).
 */
export async function choose(page: Page, id: string, option: string, search?: string, close = false) {
  await pickIn(page, id, { item: openDropdown, text: option, shown: option, search }, close);
}

/** The nodes of the antd TreeSelect dropdown that is open now. */
export const openTree = '.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title';

/**
 * Picks the node `title` in the antd TreeSelect whose input has `id`, typing `search` first to
 * find it in collapsed branches, checks the select shows `shown` (the chosen node's path) and
 * closes the dropdown.
 */
export async function chooseInTree(page: Page, id: string, title: string, shown: string, search?: string) {
  await pickIn(page, id, { item: openTree, text: new RegExp(`^${title}$`), shown, search }, true);
}
