// The Opportunity lists the benchmarks load, at the sizes issue 19 budgets for: a 50-row list
// view (the grid fixture's rows repeated) and a 200-card Kanban board (the board fixture's cards
// repeated), served as the stand-in serves the fixture (its headers, Lightning's CSP as the
// stand-in's `?csp=lightning`); and the changes made to them, each as Salesforce makes them.
// Used by page-cost.mjs and list-updates.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { root } from '../e2e/browser.mjs';

export const LIST_GRID = 'https://list-lightning-grid-en-us.lightning.force.com/lightning/o/Opportunity/list?filterName=AllOpportunities&csp=lightning';
export const LIST_BOARD = 'https://list-kanban-en-us.lightning.force.com/lightning/o/Opportunity/list?filterName=MyOpportunities&csp=lightning';
export const LIST_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
};
const fixturePage = (slug) => readFileSync(join(root, 'tests', 'fixtures', slug, 'page.html'), 'utf8');
const newId = (prefix, i) => `0065g00000${prefix}${String(i).padStart(4, '0')}AAA`;
/** `html` with every element matched by `item` (a whole-element regex with the record Id as its
 *  first group) in each contiguous run replaced by `count(run)` copies of the run's first, each
 *  under a new Id. */
function repeated(html, item, counts, prefix) {
  let made = 0;
  let run = 0;
  return html.replace(new RegExp(`(?:${item.source})+`, 'gs'), (block) => {
    const first = block.match(new RegExp(item.source, 's'));
    const id = first[1];
    const copies = counts(run);
    run += 1;
    let out = '';
    for (let i = 0; i < copies; i++) out += first[0].split(id).join(newId(prefix, made++));
    return out;
  });
}

/** The list view fixture with `rows` rows. */
export const listGrid = (rows) => repeated(fixturePage('list-lightning-grid-en-us'), /<tr class="slds-hint-parent" data-row-key-value="(0065g00000Ls\w+)"[^>]*>.*?<\/tr>/, () => rows, 'G');
/** The Kanban fixture with `cards` cards spread over its columns. */
export const listBoard = (cards) => {
  const html = fixturePage('list-kanban-en-us');
  const columns = (html.match(/class="forceKanbanColumn /g) || []).length;
  return repeated(html, /<li class="forceKanbanCard[^"]*" data-recordid="(006\w+)">.*?<\/li>/, (run) => Math.floor(cards / columns) + (run < cards % columns ? 1 : 0), 'K');
};

// Page changes on a list, as scripts for the page: ten more rows (a list view scrolled to its
// end renders them, and shows them), one cell's value replaced (an inline edit saved), one
// card's. The `n`th of each makes rows and values the earlier ones did not.
export const scrollRows = (n = 0) => `(() => {
  const rows = document.querySelectorAll('tr[data-row-key-value^="0065g00000G"]');
  const last = rows[rows.length - 1];
  for (let i = 0; i < 10; i++) {
    const copy = last.cloneNode(true);
    for (const host of copy.querySelectorAll('cc-deal-health-row')) host.remove();
    const id = '0065g00000S' + String(${n} * 10 + i).padStart(4, '0') + 'AAA';
    copy.setAttribute('data-row-key-value', id);
    copy.querySelector('a[href*="0065g"]').setAttribute('href', '/lightning/r/' + id + '/view');
    last.parentElement.append(copy);
  }
  // The rep scrolled to the end of the list, which is why it rendered them.
  last.parentElement.lastElementChild.scrollIntoView({ block: 'end' });
})()`;
export const editCell = (n = 0) => `(() => {
  document.querySelector('tr[data-row-key-value^="0065g00000G"] td[data-label="Close Date"] lightning-formatted-date-time').textContent = '1/${n + 5}/2026';
})()`;
export const editCard = (n = 0) => `(() => {
  document.querySelector('.forceKanbanCard lightning-formatted-number').textContent = '$1,00${n}.00';
})()`;
