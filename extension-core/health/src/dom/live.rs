//! The live DOM backend: the browser's own nodes through `web-sys`.
//!
//! A content script runs in an isolated world whose DOM methods are not patched by LWC, so
//! plain queries already see through Lightning's *synthetic* shadow DOM; *native* shadow roots
//! (mixed mode) are visited explicitly through `Element.shadowRoot`, which returns open roots
//! only. Closed roots stay closed, as they must.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlInputElement, HtmlTextAreaElement, Node, ShadowRoot};

use super::snapshot::{
    parse_child_order, parse_values, ItemCopy, Snapshot, SNAPSHOT_ATTRIBUTES, SNAPSHOT_DEPTH,
    SNAPSHOT_NODES,
};
use super::{Ancestor, Child, Dom, OWN_TAG_PREFIX};

// Crossings between wasm and JavaScript are an evaluation's main cost in the content script, so
// the few helpers below answer in one call what web-sys would ask element by element.
//
// The open shadow roots of a tree: asked element by element from Rust, a `NodeList.item` and a
// `shadowRoot` crossing each (about 17,000 on a large record page). Kept per pass (one
// evaluation; `pass` changes with every `LiveDom`), since every deep query asks again.
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
let shadowPass = -1;
let shadowCache = new WeakMap();
export function openShadowRootsUnder(root, pass) {
  if (pass !== shadowPass) {
    shadowPass = pass;
    shadowCache = new WeakMap();
  }
  let found = shadowCache.get(root);
  if (found) return found;
  found = [];
  if (root.shadowRoot) found.push(root.shadowRoot);
  for (const element of root.querySelectorAll('*')) {
    const shadow = element.shadowRoot;
    if (shadow) found.push(shadow);
  }
  shadowCache.set(root, found);
  return found;
}

// A query's matches in one crossing (not a `NodeList.item` each); none for a node that cannot
// be queried.
export function querySelectorAllOf(root, selector) {
  if (typeof root.querySelectorAll !== 'function') return [];
  try {
    return Array.from(root.querySelectorAll(selector));
  } catch {
    return [];
  }
}

// A query's matches a few at a time (Dom::find_in_tree): a reader usually wants the first, and
// each node handed over costs a wrapper and a table slot. The static list is kept for the pass.
let listPass = -1;
let lists = new Map();
export function querySelectorSlice(root, selector, start, count, pass) {
  if (pass !== listPass) {
    listPass = pass;
    lists = new Map();
  }
  let byRoot = lists.get(selector);
  if (!byRoot) {
    byRoot = new WeakMap();
    lists.set(selector, byRoot);
  }
  let list = byRoot.get(root);
  if (!list) {
    list = [];
    if (typeof root.querySelectorAll === 'function') {
      try {
        list = root.querySelectorAll(selector);
      } catch {
        list = [];
      }
    }
    byRoot.set(root, list);
  }
  const slice = [];
  for (let i = start; i < list.length && i < start + count; i += 1) slice.push(list[i]);
  return slice;
}

// One crossing where web-sys takes two (an `instanceof` check, then the call).
export function attributeOf(node, name) {
  return node.nodeType === 1 ? node.getAttribute(name) : null;
}
export function localNameOf(node) {
  return node.nodeType === 1 ? node.localName : null;
}
export function composedParentOf(node) {
  return node instanceof ShadowRoot ? node.host : node.parentNode;
}

// Dom::ancestry in one crossing: per element, its local name then each named attribute, all
// joined by U+0000; an absent attribute is U+0001 alone. Those two characters are replaced in
// values (a script may set them), which no decision reads. null past `limit` nodes.
//
// The chains of one pass share most of their elements (every field of a record sits in the
// same dozen containers), so each element is sent once per pass and attribute list: it gets
// a mark (0, 1, 2... in the order sent, the Rust side counts the same) and its depth, and a
// later chain stops at the first marked element. The answer starts with that element's mark
// ('' when the walk reached the top) and the first fresh element's mark, then the elements
// not sent before, nearest first. Kept per pass until the pass ends (forgetPass).
const chains = new Map(); // pass -> attribute list -> {marks: WeakMap(element -> {mark, depth}), next}
export function forgetPass(pass) {
  chains.delete(pass);
  // Nor keep the page's nodes alive once the pass is over (the last record's, after leaving it).
  if (pass === listPass) {
    listPass = -1;
    lists = new Map();
  }
  if (pass === shadowPass) {
    shadowPass = -1;
    shadowCache = new WeakMap();
  }
}
export function composedAncestrySince(node, names, limit, pass) {
  let byNames = chains.get(pass);
  if (!byNames) {
    byNames = new Map();
    chains.set(pass, byNames);
  }
  let memo = byNames.get(names);
  if (!memo) {
    memo = { marks: new WeakMap(), next: 0 };
    byNames.set(names, memo);
  }
  const keys = names.split(',');
  const fresh = []; // [element, nodes below it on this walk]
  let steps = 0;
  let known = null;
  for (let current = node; current; current = current instanceof ShadowRoot ? current.host : current.parentNode) {
    if (current.nodeType === 1) {
      known = memo.marks.get(current) || null;
      if (known) break;
      fresh.push([current, steps]);
    }
    if (++steps > limit) return null;
  }
  const total = steps + (known ? known.depth : 0);
  if (total > limit) return null;
  const out = [`${known ? known.mark : ''},${memo.next}`];
  for (const [element, below] of fresh) {
    memo.marks.set(element, { mark: memo.next, depth: total - below });
    memo.next += 1;
    out.push(element.localName);
    for (const key of keys) {
      const value = element.getAttribute(key);
      out.push(value === null ? '\u0001' : value.replace(/[\u0000\u0001]/g, '\ufffd'));
    }
  }
  return out.join('\u0000');
}
// Dom::text_snapshot in one crossing: `root`'s subtree in dom::snapshot's wire form (read
// there), or null when `root` is not an element or holds more than `maxNodes` nodes. Elements
// `maxDepth` levels below `root` are sent without their shadow root and children.
const TOO_LARGE = {};
export function textSnapshotOf(root, names, maxNodes, maxDepth) {
  if (!root || root.nodeType !== 1) return null;
  const keys = names.split(',');
  const absent = '-'.repeat(keys.length);
  const out = [root.getRootNode() instanceof ShadowRoot ? '1' : '0'];
  let count = 0;
  const put = (text) => out.push(`${text.length}:`, text);
  const children = (parent, depth) => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      const type = child.nodeType;
      if (type === 1) element(child, depth);
      else if (type === 3 || type === 4) {
        if (++count > maxNodes) throw TOO_LARGE;
        out.push('T');
        put(child.data);
      }
    }
  };
  const element = (node, depth) => {
    if (++count > maxNodes) throw TOO_LARGE;
    out.push('E');
    put(node.localName);
    if (!node.hasAttributes()) out.push(absent);
    else {
      for (const key of keys) {
        const value = node.getAttribute(key);
        if (value === null) out.push('-');
        else put(value);
      }
    }
    if (depth < maxDepth) {
      const shadow = node.shadowRoot;
      if (shadow) {
        out.push('S');
        children(shadow, depth + 1);
        out.push(')');
      }
      children(node, depth + 1);
    }
    out.push(')');
  };
  try {
    element(root, 0);
  } catch (error) {
    if (error === TOO_LARGE) return null;
    throw error;
  }
  return out.join('');
}
// Dom::item_copy in one crossing: `root` as the browser serialises it (outerHTML), read by
// Snapshot::parse_item: a flag (`1` when it lies in a shadow tree and holds a slot, else `0`),
// the number of elements it is (itself and those under it), how many of those under it match
// `check`, then the serialisation, as `<flag><elements>:<matches>:<html>`. Null when it is not
// an element, is longer than `maxLength`, or holds what its serialisation does not give back
// as the page has it: an open shadow root (not serialised: such a row is read from the page),
// an element named with a namespace prefix, a processing instruction or a comment holding
// `-->` (written raw, they would read as markup). The parser counts the elements and the
// matches again: a void element's children (not serialised) and any markup that reads other
// than the page are refused there. copiedElementAt hands back its elements by their place
// among the serialisation's (`root` first, then its elements in document order). (A tree
// walker finds shadow roots in a fifth of the time a loop over querySelectorAll takes.)
export function itemCopyOf(root, maxLength, check) {
  if (!root || root.nodeType !== 1 || root.shadowRoot || root.prefix) return null;
  const walker = document.createTreeWalker(root,
    NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_COMMENT | NodeFilter.SHOW_PROCESSING_INSTRUCTION);
  let elements = 1;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === 1) {
      if (node.shadowRoot || node.prefix) return null;
      elements += 1;
    } else if (node.nodeType !== 8 || node.data.includes('-->')) return null;
  }
  const html = root.outerHTML;
  if (html.length > maxLength) return null;
  const matches = root.querySelectorAll(check).length;
  const inShadow = html.includes('<slot') && root.getRootNode() instanceof ShadowRoot;
  return `${inShadow ? '1' : '0'}${elements}:${matches}:${html}`;
}
export function copiedElementAt(root, place) {
  return (place === 0 ? root : root.querySelectorAll('*')[place - 1]) || null;
}
// Dom::attributes in one crossing: each value as `<length>:<value>`, `-` when absent.
export function attributesOf(node, names) {
  if (node.nodeType !== 1) return names.split(',').map(() => '-').join('');
  let out = '';
  for (const name of names.split(',')) {
    const value = node.getAttribute(name);
    out += value === null ? '-' : `${value.length}:${value}`;
  }
  return out;
}

// Dom::fingerprints in one crossing: per node its number, then its fingerprint's hash. Numbers
// come from a WeakMap, so a node keeps its number for as long as it lives and the map keeps no
// node alive. A fingerprint is its parent's and grandparent's numbers, the node's own `names`
// attributes, its element children by number,
// each element under it that matches `numbered` by number with its href and data-recordid, then
// its text: the light DOM only. Elements whose name starts with `ownPrefix` (the content
// script's badges) are passed over. Sent as a 53-bit hash (two 32-bit multiplicative hashes of
// its UTF-16 units), so that no text crosses into WebAssembly. With `deep` false, the numbers
// alone (each hash 0).
//
// `changes` (LiveDom::with_changes) are the page's mutation records since the last pass that
// fingerprinted, or null when they are not known. With them, a node none of their targets is
// in or under, fingerprinted in that last pass, still under the
// same parent and grandparent and with the same own attributes, keeps the fingerprint it had:
// computing one reads the node's whole text, which for fifty unchanged rows was most of an
// evaluation's cost.
const nodeNumbers = new WeakMap();
let nextNodeNumber = 1;
const numberOf = (node) => {
  let number = nodeNumbers.get(node);
  if (number === undefined) {
    number = nextNodeNumber++;
    nodeNumbers.set(node, number);
  }
  return number;
};
const sized = (value) => (value === null ? '-' : `${value.length}:${value}`);
const hash53 = (text) => {
  let low = 0x811c9dc5;
  let high = 0x9e3779b9;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    low = Math.imul(low ^ unit, 0x01000193);
    high = Math.imul(high ^ unit, 0x5bd1e995);
    high ^= high >>> 15;
  }
  low = Math.imul(low ^ (low >>> 16), 0x85ebca6b) ^ Math.imul(high ^ (high >>> 13), 0xc2b2ae35);
  return (high & 0x1fffff) * 4294967296 + (low >>> 0);
};
const kept = new WeakMap(); // node -> {hash, parent, grand, pass}: its last fingerprint
let printPass = -1; // the pass that fingerprints now
let lastPrintPass = -1; // the one before it
let touched = null; // every node a change is in or under, this pass; null: any may have changed
function beginPrints(pass, changes) {
  if (pass === printPass) return;
  lastPrintPass = printPass;
  printPass = pass;
  touched = null;
  if (!Array.isArray(changes)) return;
  touched = new Set();
  for (const change of changes) {
    for (let node = change.target; node && !touched.has(node); node = node.parentNode || node.host || null) touched.add(node);
  }
}
export function fingerprintsOf(nodes, names, numbered, ownPrefix, deep, pass, changes) {
  const keys = names.split(',');
  const out = new Float64Array(nodes.length * 2);
  if (deep) beginPrints(pass, changes);
  nodes.forEach((node, index) => {
    out[2 * index] = numberOf(node);
    if (!deep || node.nodeType !== 1) return;
    const parent = node.parentNode;
    const grand = parent ? parent.parentNode : null;
    // Its own attributes are read every time: the observer reports no attribute change (a row
    // hidden by a class, a record key set anew).
    let own = '';
    for (const key of keys) own += sized(node.getAttribute(key));
    const last = kept.get(node);
    if (touched && last && last.pass === lastPrintPass && !touched.has(node)
      && last.parent === parent && last.grand === grand && last.own === own) {
      last.pass = printPass;
      out[2 * index + 1] = last.hash;
      return;
    }
    const parts = [`${parent ? numberOf(parent) : 0},${grand ? numberOf(grand) : 0}|`, own, '|'];
    for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
      if (!child.localName.startsWith(ownPrefix)) parts.push(`${numberOf(child)},`);
    }
    parts.push('|');
    let matches = [];
    try {
      matches = node.querySelectorAll(numbered);
    } catch {
      // A selector this browser refuses: no element numbered (the text still counts).
    }
    for (const element of matches) {
      if (element.localName.startsWith(ownPrefix)) continue;
      parts.push(`${numberOf(element)},`, sized(element.getAttribute('href')), sized(element.getAttribute('data-recordid')));
    }
    parts.push('|', node.textContent);
    const hash = hash53(parts.join(''));
    kept.set(node, { hash, parent, grand, own, pass: printPass });
    out[2 * index + 1] = hash;
  });
  return out;
}

// Dom::far_from_view, in one call: per node 1 when its box lies wholly outside the viewport
// grown by half its size on every side, else 0. A node with no box (display: none, detached,
// not an element) is not far: it is read as before, and its scope decides.
export function farFromView(nodes) {
  const out = new Uint8Array(nodes.length);
  nodes.forEach((node, index) => {
    const view = node && node.nodeType === 1 ? node.ownerDocument.defaultView : null;
    if (!view) return; // not an element, or a document with no window (nothing laid out)
    const box = node.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return;
    const width = view.innerWidth;
    const height = view.innerHeight;
    if (box.bottom < -height / 2 || box.top > height * 1.5 || box.right < -width / 2 || box.left > width * 1.5) out[index] = 1;
  });
  return out;
}

// Dom::changes_within: whether every change's target is in or under one of `items` (one walk
// up per change, stopping at a node already walked); false when `changes` is not known.
//
// Dom::changes_beside (`parts` given): the same, or a change adds or removes children of an
// item's parent (rows added to a table's body, cards to a column), none of them an element that
// matches or holds `parts` or an open shadow root; a later change inside an element so added
// is within too.
const MAX_BESIDE_NODES = 500;
export function changesWithin(items, changes, parts) {
  if (!Array.isArray(changes) || !items.length) return false;
  const wanted = new Set(items);
  const inside = new Set();
  const containers = new Set();
  if (parts) for (const item of items) if (item.parentNode) containers.add(item.parentNode);
  // A page moving large subtrees in and out many times would make this check cost more than
  // reading the page again: past a bound, the answer is no.
  let budget = MAX_BESIDE_NODES;
  const holdsPart = (node) => {
    if (node.nodeType !== 1) return false;
    if ((budget -= 1) < 0) return true;
    if (node.shadowRoot || node.matches(parts) || node.querySelector(parts)) return true;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT);
    while (walker.nextNode()) if (walker.currentNode.shadowRoot) return true;
    return false;
  };
  for (const change of changes) {
    if (parts && change.type === 'childList' && containers.has(change.target)) {
      for (const node of change.removedNodes) if (holdsPart(node)) return false;
      for (const node of change.addedNodes) {
        if (holdsPart(node)) return false;
        wanted.add(node);
      }
      continue;
    }
    const path = [];
    let node = change.target;
    while (node && !wanted.has(node) && !inside.has(node)) {
      path.push(node);
      node = node.parentNode || node.host || null;
    }
    if (!node) return false;
    for (const walked of path) inside.add(walked);
  }
  return true;
}

// Dom::all_connected in one crossing.
export function allConnected(nodes) {
  return nodes.every((node) => node.isConnected);
}

// Dom::children in one crossing: [order, ...elements], `order` a letter per child kept, `E`
// for the next element, `T<length>:<text>` for a text (or CDATA) node.
export function childrenOf(node) {
  const out = [''];
  let order = '';
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === 1) {
      order += 'E';
      out.push(child);
    } else if (type === 3 || type === 4) {
      order += `T${child.data.length}:${child.data}`;
    }
  }
  out[0] = order;
  return out;
}
"#)]
extern "C" {
    /// The open shadow roots of `root` (an element, a document or a fragment) and of every
    /// element in its tree, in document order; not those nested inside them.
    #[wasm_bindgen(js_name = openShadowRootsUnder)]
    fn open_shadow_roots_under(root: &Node, pass: u32) -> Vec<Node>;
    #[wasm_bindgen(js_name = querySelectorAllOf)]
    fn query_selector_all_of(root: &Node, selector: &str) -> Vec<Node>;
    #[wasm_bindgen(js_name = querySelectorSlice)]
    fn query_selector_slice(
        root: &Node,
        selector: &str,
        start: u32,
        count: u32,
        pass: u32,
    ) -> Vec<Node>;
    #[wasm_bindgen(js_name = attributeOf)]
    fn attribute_of(node: &Node, name: &str) -> Option<String>;
    #[wasm_bindgen(js_name = localNameOf)]
    fn local_name_of(node: &Node) -> Option<String>;
    #[wasm_bindgen(js_name = composedParentOf)]
    fn composed_parent_of(node: &Node) -> Option<Node>;
    #[wasm_bindgen(js_name = forgetPass)]
    fn forget_pass(pass: u32);
    #[wasm_bindgen(js_name = attributesOf)]
    fn attributes_of(node: &Node, names: &str) -> String;
    #[wasm_bindgen(js_name = childrenOf)]
    fn children_of(node: &Node) -> Vec<JsValue>;
    #[wasm_bindgen(js_name = textSnapshotOf)]
    fn text_snapshot_of(root: &Node, names: &str, max_nodes: u32, max_depth: u32)
        -> Option<String>;
    #[wasm_bindgen(js_name = allConnected)]
    fn all_connected_of(nodes: Vec<Node>) -> bool;
    #[wasm_bindgen(js_name = itemCopyOf)]
    fn item_copy_of(root: &Node, max_length: u32, check: &str) -> Option<String>;
    #[wasm_bindgen(js_name = copiedElementAt)]
    fn copied_element_at(root: &Node, place: u32) -> Option<Node>;
    #[wasm_bindgen(js_name = fingerprintsOf)]
    fn fingerprints_of(
        nodes: Vec<Node>,
        names: &str,
        numbered: &str,
        own_prefix: &str,
        deep: bool,
        pass: u32,
        changes: &JsValue,
    ) -> Vec<f64>;
    #[wasm_bindgen(js_name = farFromView)]
    fn far_from_view_of(nodes: Vec<Node>) -> Vec<u8>;
    #[wasm_bindgen(js_name = changesWithin)]
    fn changes_within_items(items: Vec<Node>, changes: &JsValue, parts: Option<&str>) -> bool;
    #[wasm_bindgen(js_name = composedAncestrySince)]
    fn composed_ancestry_since(node: &Node, names: &str, limit: u32, pass: u32) -> Option<String>;
}

/// The longest serialisation of a row or card copied ([`Dom::item_copy`]), in UTF-16 units: a
/// row of a real list view is a few kilobytes; a larger one is read from the page.
const MAX_COPY_LENGTH: u32 = 256 * 1024;

/// An absent attribute in [`composed_ancestry_since`]'s answer.
const ABSENT: &str = "\u{1}";

/// A live document.
pub struct LiveDom {
    document: Document,
    /// This pass's number, for the helpers' per-pass memory.
    pass: u32,
    /// Per attribute list, every element [`composed_ancestry_since`] has sent in this pass.
    sent: RefCell<HashMap<String, Vec<Sent>>>,
    /// The page's mutation records since the last pass that fingerprinted (an array), or
    /// `null` when not known ([`LiveDom::with_changes`]).
    changes: JsValue,
}

/// An element sent in this pass, at its mark: what was read, and the mark of the next element
/// up its chain.
type Sent = (Ancestor, Option<usize>);

impl Drop for LiveDom {
    fn drop(&mut self) {
        forget_pass(self.pass);
    }
}

static PASSES: AtomicU32 = AtomicU32::new(0);

impl LiveDom {
    /// Wraps a document (the page's own, or one parsed by `Document.parseHTMLUnsafe`). One
    /// `LiveDom` is one pass: the DOM is taken not to change while it is in use.
    pub fn new(document: Document) -> LiveDom {
        LiveDom::with_changes(document, JsValue::NULL)
    }

    /// [`LiveDom::new`], told what the page changed since the last pass that fingerprinted
    /// ([`Dom::fingerprints`]): `changes` is an array of its mutation records, every one of them
    /// (the content script's observer collects them), or `null`. A node that none of their
    /// targets is in or under (and whose own attributes are the same)
    /// keeps the fingerprint it had in that pass, without being read again; with `null`, every
    /// fingerprint is computed. An array that leaves a change out makes its node look
    /// unchanged: pass `null` when in doubt.
    pub fn with_changes(document: Document, changes: JsValue) -> LiveDom {
        LiveDom {
            document,
            pass: PASSES.fetch_add(1, Ordering::Relaxed),
            sent: RefCell::new(HashMap::new()),
            changes,
        }
    }
}

impl Dom for LiveDom {
    type Node = Node;

    fn document(&self) -> Node {
        self.document.clone().into()
    }

    fn query_tree(&self, root: &Node, selector: &'static str) -> Vec<Node> {
        query_selector_all_of(root, selector)
    }

    fn find_in_tree<T>(
        &self,
        root: &Node,
        selector: &'static str,
        mut f: impl FnMut(Node) -> Option<T>,
    ) -> Option<T> {
        // 4, then 16, 64, 256 at a time.
        let (mut start, mut count) = (0u32, 4u32);
        loop {
            let slice = query_selector_slice(root, selector, start, count, self.pass);
            let handed = slice.len() as u32;
            if let Some(found) = slice.into_iter().find_map(&mut f) {
                return Some(found);
            }
            if handed < count {
                return None;
            }
            start += handed;
            count = (count * 4).min(256);
        }
    }

    fn shadow_roots_in_tree(&self, root: &Node) -> Vec<Node> {
        open_shadow_roots_under(root, self.pass)
    }

    fn shadow_root(&self, element: &Node) -> Option<Node> {
        element.dyn_ref::<Element>()?.shadow_root().map(Node::from)
    }

    fn is_shadow_root(&self, node: &Node) -> bool {
        node.dyn_ref::<ShadowRoot>().is_some()
    }

    fn parent(&self, node: &Node) -> Option<Node> {
        composed_parent_of(node)
    }

    fn children(&self, node: &Node) -> Vec<Child<Node>> {
        let mut answer = children_of(node).into_iter();
        let Some(order) = answer.next().and_then(|order| order.as_string()) else {
            return Vec::new();
        };
        let mut elements = answer.map(JsCast::unchecked_into::<Node>);
        parse_child_order(&order)
            .into_iter()
            .filter_map(|child| match child {
                Child::Node(()) => elements.next().map(Child::Node),
                Child::Text(text) => Some(Child::Text(text)),
            })
            .collect()
    }

    fn next_element_sibling(&self, node: &Node) -> Option<Node> {
        node.dyn_ref::<Element>()?
            .next_element_sibling()
            .map(Node::from)
    }

    fn tag_name(&self, node: &Node) -> Option<String> {
        local_name_of(node).map(|name| name.to_ascii_lowercase())
    }

    fn attribute(&self, node: &Node, name: &str) -> Option<String> {
        attribute_of(node, name)
    }

    fn attributes(&self, node: &Node, names: &[&'static str]) -> Vec<Option<String>> {
        // Attribute names are plain words: none holds the separator.
        parse_values(&attributes_of(node, &names.join(",")), names.len())
            .unwrap_or_else(|| names.iter().map(|name| attribute_of(node, name)).collect())
    }

    fn form_value(&self, node: &Node) -> Option<String> {
        if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
            return Some(input.value());
        }
        if let Some(area) = node.dyn_ref::<HtmlTextAreaElement>() {
            return Some(area.value());
        }
        self.attribute(node, "value")
    }

    fn same_node(&self, a: &Node, b: &Node) -> bool {
        a.is_same_node(Some(b))
    }

    fn tree_root(&self, node: &Node) -> Node {
        node.get_root_node()
    }

    fn fingerprints(
        &self,
        nodes: &[Node],
        names: &[&'static str],
        numbered: &'static str,
    ) -> Option<Vec<(u64, u64)>> {
        let answer = fingerprints_of(
            nodes.to_vec(),
            &names.join(","),
            numbered,
            OWN_TAG_PREFIX,
            true,
            self.pass,
            &self.changes,
        );
        (answer.len() == 2 * nodes.len()).then(|| {
            answer
                .chunks_exact(2)
                .map(|pair| (pair[0] as u64, pair[1] as u64))
                .collect()
        })
    }

    fn numbers(&self, nodes: &[Node]) -> Option<Vec<u64>> {
        let answer = fingerprints_of(
            nodes.to_vec(),
            "",
            "",
            OWN_TAG_PREFIX,
            false,
            self.pass,
            &JsValue::NULL,
        );
        (answer.len() == 2 * nodes.len())
            .then(|| answer.chunks_exact(2).map(|pair| pair[0] as u64).collect())
    }

    fn far_from_view(&self, nodes: &[Node]) -> Vec<bool> {
        let answer = far_from_view_of(nodes.to_vec());
        (0..nodes.len())
            .map(|index| answer.get(index).is_some_and(|far| *far != 0))
            .collect()
    }

    fn changes_within(&self, items: &[Node]) -> bool {
        !items.is_empty() && changes_within_items(items.to_vec(), &self.changes, None)
    }

    fn all_connected(&self, nodes: &[Node]) -> bool {
        nodes.is_empty() || all_connected_of(nodes.to_vec())
    }

    fn changes_beside(&self, items: &[Node], parts: &'static str) -> bool {
        !items.is_empty() && changes_within_items(items.to_vec(), &self.changes, Some(parts))
    }

    fn text_snapshot(&self, element: &Node) -> Option<Snapshot> {
        let wire = text_snapshot_of(
            element,
            &SNAPSHOT_ATTRIBUTES.join(","),
            SNAPSHOT_NODES,
            SNAPSHOT_DEPTH,
        )?;
        Snapshot::parse(&wire)
    }

    fn item_copy(
        &self,
        element: &Node,
        names: &'static [&'static str],
        check: &'static str,
    ) -> Option<ItemCopy<Node>> {
        let wire = item_copy_of(element, MAX_COPY_LENGTH, check)?;
        let snapshot = Snapshot::parse_item(&wire, names, check)?;
        let root = element.clone();
        Some(ItemCopy::new(
            snapshot,
            Box::new(move |place| copied_element_at(&root, place)),
        ))
    }

    fn ancestry(&self, node: &Node, names: &[&'static str], limit: usize) -> Option<Vec<Ancestor>> {
        // Attribute names are plain words: none holds the separator.
        let joined = names.join(",");
        let limit = limit.min(u32::MAX as usize) as u32;
        let flat = composed_ancestry_since(node, &joined, limit, self.pass)?;
        let mut parts = flat.split('\0');
        let (known, first_fresh) = parts.next()?.split_once(',')?;
        let known: Option<usize> = if known.is_empty() {
            None
        } else {
            Some(known.parse().ok()?)
        };
        let first_fresh: usize = first_fresh.parse().ok()?;
        let mut fresh = Vec::new();
        while let Some(tag) = parts.next() {
            let values = names
                .iter()
                .map(|_| {
                    parts
                        .next()
                        .filter(|value| *value != ABSENT)
                        .map(str::to_string)
                })
                .collect();
            fresh.push(Ancestor {
                tag: tag.to_ascii_lowercase(),
                values,
            });
        }
        let mut sent = self.sent.borrow_mut();
        let sent = sent.entry(joined).or_default();
        // The JavaScript side marked the fresh elements first, first + 1, ... as this side
        // counts. Were the two ever out of step, no chain could be trusted: out of scope.
        let first = sent.len();
        if first_fresh != first || known.is_some_and(|mark| mark >= first) {
            return None;
        }
        let count = fresh.len();
        for (index, ancestor) in fresh.into_iter().enumerate() {
            let up = if index + 1 < count {
                Some(first + index + 1)
            } else {
                known
            };
            sent.push((ancestor, up));
        }
        let mut chain = Vec::new();
        let mut next = if count > 0 { Some(first) } else { known };
        while let Some(mark) = next {
            let (ancestor, up) = &sent[mark];
            chain.push(ancestor.clone());
            next = *up;
        }
        Some(chain)
    }
}
