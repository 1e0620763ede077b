// Capture the current Salesforce page as a fixture. Paste into the DevTools console on the
// Opportunity page (Chrome 125+). Downloads page.html, with every open shadow root serialised
// as declarative shadow DOM (<template shadowrootmode="open">) so both DOM backends see the page
// as the browser did, and copies the URL to the clipboard. Then run tests/tools/add-fixture.sh.
// Anonymise names, amounts and people before committing: fixtures are public.
(() => {
  const roots = [];
  const walk = (node) => {
    for (const element of node.querySelectorAll('*')) {
      if (element.shadowRoot) {
        roots.push(element.shadowRoot);
        walk(element.shadowRoot);
      }
    }
  };
  walk(document);
  const html = '<!DOCTYPE html>\n' + document.documentElement.getHTML({ shadowRoots: roots });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  link.download = 'page.html';
  link.click();
  copy(location.href);
  console.log(`Saved page.html (${roots.length} shadow roots). URL copied: ${location.href}`);
})();
