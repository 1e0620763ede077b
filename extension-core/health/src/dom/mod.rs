//! The small DOM trait that extraction runs on, and what is built once on top of it.
//!
//! Two backends implement [`Dom`]: [`parsed`] (HTML parsed by `scraper`, for native tests, the
//! CLI and benchmarks) and `live` (the browser's DOM through `web-sys`, for the content script).
//! Both model shadow DOM the same way, so that the same rules give the same answer:
//!
//! - a query runs within one tree (a document or a shadow root) and never crosses into another;
//!   [`query_composed`] visits open shadow roots explicitly;
//! - the parent of a shadow root is its host (the composed tree);
//! - closed shadow roots and inert `<template>` contents are not visible.
//!
//! Selectors are `&'static str` on purpose: they are data in [`crate::extract::rules`], and a
//! backend may cache their parsed form.

#[cfg(feature = "html")]
pub mod limits;
#[cfg(feature = "html")]
pub mod parsed;

#[cfg(all(feature = "live", target_arch = "wasm32"))]
pub mod live;
pub mod snapshot;

/// The start of the tag name of every element the content script adds to a page (its badges'
/// hosts: `cc-deal-health`, `cc-deal-health-row`): not the page's, so no reading depends on them.
pub const OWN_TAG_PREFIX: &str = "cc-deal-health";

/// A child of a node: an element (or other node the backend keeps) or a piece of text.
pub enum Child<N> {
    /// A node that is not text.
    Node(N),
    /// Text content.
    Text(String),
}

/// An element met on the way up from a node: its lower-case tag and the attributes asked for,
/// in the order asked.
#[derive(Clone)]
pub struct Ancestor {
    /// Lower-case tag name.
    pub tag: String,
    /// The attributes asked for, in order; `None` where absent.
    pub values: Vec<Option<String>>,
}

/// What extraction needs from a DOM. Nodes are cheap handles.
pub trait Dom {
    /// A handle to a document, element or shadow root.
    type Node: Clone;

    /// The document node.
    fn document(&self) -> Self::Node;
    /// Elements under `root` in `root`'s own tree (not in shadow roots) that match `selector`,
    /// in document order. `root` itself is not included. Where `root` is an element, `:scope`
    /// in `selector` stands for it (`:scope > tbody > tr`: `root`'s own rows); what `:scope`
    /// matches under a document or shadow root is left to the backend, so no rule asks that.
    fn query_tree(&self, root: &Self::Node, selector: &'static str) -> Vec<Self::Node>;
    /// The first of `f`'s answers over [`Dom::query_tree`]'s matches, in order. A backend where
    /// every node handed over is dear (the live DOM: a wrapper and a table slot each) hands
    /// them over a few at a time, since the first or second is usually the one.
    fn find_in_tree<T>(
        &self,
        root: &Self::Node,
        selector: &'static str,
        f: impl FnMut(Self::Node) -> Option<T>,
    ) -> Option<T>
    where
        Self: Sized,
    {
        self.query_tree(root, selector).into_iter().find_map(f)
    }
    /// The open shadow roots whose hosts are `root` or lie under `root` in `root`'s own tree.
    fn shadow_roots_in_tree(&self, root: &Self::Node) -> Vec<Self::Node>;
    /// The element's open shadow root.
    fn shadow_root(&self, element: &Self::Node) -> Option<Self::Node>;
    /// Whether the node is a shadow root.
    fn is_shadow_root(&self, node: &Self::Node) -> bool;
    /// The composed parent: for a shadow root, its host.
    fn parent(&self, node: &Self::Node) -> Option<Self::Node>;
    /// Child nodes in the node's own tree, in order.
    fn children(&self, node: &Self::Node) -> Vec<Child<Self::Node>>;
    /// The next sibling that is an element.
    fn next_element_sibling(&self, node: &Self::Node) -> Option<Self::Node>;
    /// Lower-case tag name of an element; `None` for other nodes.
    fn tag_name(&self, node: &Self::Node) -> Option<String>;
    /// An attribute of an element.
    fn attribute(&self, node: &Self::Node, name: &str) -> Option<String>;
    /// The current value of a form control (`input`, `textarea`); the attribute when parsed.
    fn form_value(&self, node: &Self::Node) -> Option<String>;
    /// Whether two handles are the same node.
    fn same_node(&self, a: &Self::Node, b: &Self::Node) -> bool;

    /// Several attributes of an element, in the order asked (`None` where absent). A backend
    /// where each call is dear answers in one call.
    fn attributes(&self, node: &Self::Node, names: &[&'static str]) -> Vec<Option<String>> {
        names
            .iter()
            .map(|name| self.attribute(node, name))
            .collect()
    }

    /// A copy of `element`'s subtree, made in one call, for reading its visible text
    /// ([`snapshot`]); `None` where the backend reads node by node as cheaply (the parsed one),
    /// or cannot copy this subtree (too large, not an element).
    fn text_snapshot(&self, _element: &Self::Node) -> Option<snapshot::Snapshot> {
        None
    }

    /// A copy of a list item's subtree (a row) holding the attributes `names`, made in one call,
    /// with the way back to the page's elements ([`snapshot::ItemCopy`]); `None` where the
    /// backend reads node by node as cheaply (the parsed one) or cannot copy this subtree, or
    /// where the copy's elements, or its matches of `check` under the item, are not as many
    /// as the page's ([`snapshot::Snapshot::parse_item`]). A reader runs the same reading over
    /// the copy, and reads the page instead where the copy could not answer a question
    /// ([`snapshot::Snapshot::missed`]).
    fn item_copy(
        &self,
        _element: &Self::Node,
        _names: &'static [&'static str],
        _check: &'static str,
    ) -> Option<snapshot::ItemCopy<Self::Node>> {
        None
    }

    /// Whether every node of `nodes` is still in its document (or shadow tree). True where
    /// the backend's DOM never changes (the parsed one). One call for all of them.
    fn all_connected(&self, _nodes: &[Self::Node]) -> bool {
        true
    }

    /// Per node, whether it is laid out far from what the user sees: its box lies wholly
    /// outside the viewport grown by half its width and height on every side. False where the
    /// backend has no layout (the parsed one), for a node with no box (hidden, or not an
    /// element), and whenever in doubt: a node taken to be near is only read sooner than
    /// needed. One call for all of `nodes`.
    fn far_from_view(&self, nodes: &[Self::Node]) -> Vec<bool> {
        vec![false; nodes.len()]
    }

    /// Per node, what tells whether a reading of it may be reused in a later pass
    /// (`list::ListCache`): a number naming the node for as long as it exists (the same node
    /// gives the same number in every pass, another node another number), and a fingerprint,
    /// equal between two passes when the node's parent and grandparent (by number), its own
    /// `names` attributes, its element children
    /// (by number), the elements under it that match `numbered` (by number, with the record
    /// their `href` and `data-recordid` name) and its text are. So an element a reading keeps
    /// (a row's link) must match `numbered`: replaced by a copy, it changes the fingerprint.
    /// Not in it: other attributes and elements deeper down, and open shadow roots' contents
    /// (a reader reuses nothing read through one). Elements named [`OWN_TAG_PREFIX`]… (the
    /// content script's badges) are passed over. Each fingerprint is sent as a hash (the live
    /// backend's: 53 bits, so no text crosses). `None` where the backend cannot tell
    /// (nothing is reused). One call for all of `nodes`. The live backend, told what the page
    /// changed since (`live::LiveDom::with_changes`), gives a node no change is in or under
    /// the fingerprint it gave last, without reading it again.
    fn fingerprints(
        &self,
        _nodes: &[Self::Node],
        _names: &[&'static str],
        _numbered: &'static str,
    ) -> Option<Vec<(u64, u64)>> {
        None
    }

    /// The numbers [`Dom::fingerprints`] gives `nodes`, without their fingerprints.
    fn numbers(&self, _nodes: &[Self::Node]) -> Option<Vec<u64>> {
        None
    }

    /// Whether every change the page made since the last pass that fingerprinted is known to be
    /// in or under one of `items` (the live backend, told the changes:
    /// `live::LiveDom::with_changes`); false when the changes are not known, or one is
    /// elsewhere. Then nothing outside those items changed since that pass.
    fn changes_within(&self, _items: &[Self::Node]) -> bool {
        false
    }

    /// [`Dom::changes_within`], or the changes that are not within add or remove children of the
    /// parent of one of `items` (rows added to a table's body, cards to a column), none of them
    /// an element that matches or holds `parts` or an open shadow root (and later changes are
    /// within those added). Then the page outside the list's items is as it was, but for items
    /// added or removed beside them. False when the changes are not known.
    fn changes_beside(&self, _items: &[Self::Node], _parts: &'static str) -> bool {
        false
    }

    /// The root of the node's own tree: a shadow root, the document, or the top of a detached
    /// piece; a shadow root is its own. A backend where each call is dear answers in one call.
    fn tree_root(&self, node: &Self::Node) -> Self::Node {
        let mut current = node.clone();
        while !self.is_shadow_root(&current) {
            match self.parent(&current) {
                Some(parent) => current = parent,
                None => break,
            }
        }
        current
    }

    /// `node` and its composed ancestors (a shadow root's parent is its host), nearest first:
    /// each element's tag and its attributes `names`, in order; other nodes are passed over.
    /// `None` when the chain is longer than `limit` nodes (every node counts). A backend where
    /// each call is dear (the live DOM, across the wasm boundary) answers in one call.
    fn ancestry(
        &self,
        node: &Self::Node,
        names: &[&'static str],
        limit: usize,
    ) -> Option<Vec<Ancestor>> {
        let mut chain = Vec::new();
        let mut current = Some(node.clone());
        let mut steps = 0;
        while let Some(node) = current {
            steps += 1;
            if steps > limit {
                return None;
            }
            if let Some(tag) = self.tag_name(&node) {
                let values = names
                    .iter()
                    .map(|name| self.attribute(&node, name))
                    .collect();
                chain.push(Ancestor { tag, values });
            }
            current = self.parent(&node);
        }
        Some(chain)
    }
}

/// Every element under `scope` matching `selector`, descending into open shadow roots: first
/// the matches in `scope`'s own tree, then those in each shadow root, recursively. Both
/// backends get this order from this one function.
pub fn query_composed<D: Dom>(dom: &D, scope: &D::Node, selector: &'static str) -> Vec<D::Node> {
    let mut found = dom.query_tree(scope, selector);
    for shadow in dom.shadow_roots_in_tree(scope) {
        found.extend(query_composed(dom, &shadow, selector));
    }
    found
}

/// The trees of a document in the order [`query_composed`] reads them (the document, then each
/// open shadow root, depth first, in document order), with the shadow roots found only once a
/// reader needs them: finding them asks every element of every tree for its shadow root, the
/// largest part of an evaluation on a large live page, and most pages answer every question
/// from the document's own tree (Lightning's synthetic shadow DOM is plain DOM there).
pub struct Trees<D: Dom> {
    document: D::Node,
    shadow_roots: std::cell::OnceCell<Vec<D::Node>>,
}

impl<D: Dom> Trees<D> {
    /// The trees of `dom`'s document.
    pub fn new(dom: &D) -> Self {
        Trees {
            document: dom.document(),
            shadow_roots: std::cell::OnceCell::new(),
        }
    }

    /// The document node.
    pub fn document(&self) -> &D::Node {
        &self.document
    }

    fn shadow_roots(&self, dom: &D) -> &[D::Node] {
        self.shadow_roots.get_or_init(|| {
            let mut found = Vec::new();
            collect_shadow_roots(dom, &self.document, &mut found);
            found
        })
    }

    /// Every match of `selector`, in [`query_composed`]'s order.
    pub fn query_all(&self, dom: &D, selector: &'static str) -> Vec<D::Node> {
        let mut found = dom.query_tree(&self.document, selector);
        found.extend(self.query_shadow_trees(dom, selector));
        found
    }

    /// The matches of `selector` in the shadow roots only, in [`query_composed`]'s order (what
    /// [`Trees::query_all`] adds to the document's own).
    pub fn query_shadow_trees(&self, dom: &D, selector: &'static str) -> Vec<D::Node> {
        self.shadow_roots(dom)
            .iter()
            .flat_map(|shadow| dom.query_tree(shadow, selector))
            .collect()
    }

    /// The first of `f`'s answers over the matches of `selector`, in [`query_composed`]'s
    /// order; the shadow roots are visited only when the document's tree gives no answer.
    pub fn find_map<T>(
        &self,
        dom: &D,
        selector: &'static str,
        mut f: impl FnMut(D::Node) -> Option<T>,
    ) -> Option<T> {
        if let Some(found) = dom.find_in_tree(&self.document, selector, &mut f) {
            return Some(found);
        }
        self.shadow_roots(dom)
            .iter()
            .find_map(|shadow| dom.find_in_tree(shadow, selector, &mut f))
    }
}

/// The open shadow roots under `root` (exclusive of `root` itself), each followed by those
/// nested in it: the tree order of [`query_composed`].
fn collect_shadow_roots<D: Dom>(dom: &D, root: &D::Node, found: &mut Vec<D::Node>) {
    for shadow in dom.shadow_roots_in_tree(root) {
        found.push(shadow.clone());
        collect_shadow_roots(dom, &shadow, found);
    }
}

/// The first element under `scope` (composed) matching `selector`.
pub fn first_composed<D: Dom>(dom: &D, scope: &D::Node, selector: &'static str) -> Option<D::Node> {
    let mut own = dom.query_tree(scope, selector);
    if !own.is_empty() {
        return Some(own.swap_remove(0));
    }
    dom.shadow_roots_in_tree(scope)
        .into_iter()
        .find_map(|shadow| first_composed(dom, &shadow, selector))
}

/// Whether the element's `class` attribute contains `class_name` as a whole word.
pub fn has_class<D: Dom>(dom: &D, node: &D::Node, class_name: &str) -> bool {
    dom.attribute(node, "class")
        .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class_name))
}

/// The shadow host whose tree contains `node`, if `node` lives in a shadow root; for a shadow
/// root, the host of the tree its own host lives in.
pub fn tree_host<D: Dom>(dom: &D, node: &D::Node) -> Option<D::Node> {
    let start = if dom.is_shadow_root(node) {
        dom.parent(node)?
    } else {
        node.clone()
    };
    let root = dom.tree_root(&start);
    if dom.is_shadow_root(&root) {
        dom.parent(&root)
    } else {
        None
    }
}
