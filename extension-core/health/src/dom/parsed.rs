//! The parsed-HTML backend: a page parsed by `scraper` (html5ever).
//!
//! Declarative shadow DOM (`<template shadowrootmode="open">`) stands for native shadow roots,
//! as a browser would attach them: html5ever puts a template's content under a `Fragment`
//! node, which plays the shadow root. Closed declarative roots and plain `<template>` contents
//! stay unreachable, as in a browser.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::{Child, Dom};

/// A parsed page.
pub struct ParsedDom {
    html: Html,
    selectors: RefCell<HashMap<&'static str, Option<Selector>>>,
    /// Each tree root's elements and their index, computed once: the tree never changes.
    trees: RefCell<HashMap<NodeId, Rc<TreeIndex>>>,
}

/// The elements of one tree in document order, bucketed the way browsers bucket selectors:
/// by id, class, attribute name and tag, so a query matches only plausible candidates.
#[derive(Default)]
struct TreeIndex {
    elements: Vec<NodeId>,
    by_key: HashMap<SelectorKey, Vec<usize>>,
    /// The open shadow roots of the tree's elements, in document order: every composed query
    /// asks for them, and finding them means looking at every element's children.
    shadow_roots: Vec<NodeId>,
}

/// The most specific thing a compound selector requires.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum SelectorKey {
    Id(String),
    Attribute(String),
    Class(String),
    Tag(String),
}

impl TreeIndex {
    fn build(dom: &ParsedDom, elements: Vec<NodeId>) -> TreeIndex {
        let mut by_key: HashMap<SelectorKey, Vec<usize>> = HashMap::new();
        for (position, id) in elements.iter().enumerate() {
            let Some(element) = dom.node(*id).value().as_element() else {
                continue;
            };
            by_key
                .entry(SelectorKey::Tag(element.name().to_ascii_lowercase()))
                .or_default()
                .push(position);
            for (name, value) in element.attrs() {
                by_key
                    .entry(SelectorKey::Attribute(name.to_ascii_lowercase()))
                    .or_default()
                    .push(position);
                if name == "id" {
                    by_key
                        .entry(SelectorKey::Id(value.to_string()))
                        .or_default()
                        .push(position);
                }
            }
            for class in element.classes() {
                by_key
                    .entry(SelectorKey::Class(class.to_string()))
                    .or_default()
                    .push(position);
            }
        }
        let shadow_roots = elements
            .iter()
            .filter_map(|id| dom.open_shadow_fragment(dom.node(*id)))
            .collect();
        TreeIndex {
            elements,
            by_key,
            shadow_roots,
        }
    }

    /// Positions of elements that may match `selector` (a superset), in document order; `None`
    /// when some part of the selector has no key (then every element is a candidate).
    fn candidates(&self, selector: &str) -> Option<Vec<usize>> {
        let mut positions = Vec::new();
        for part in split_outside_brackets(selector, ',') {
            let key = rightmost_compound_key(part)?;
            positions.extend(self.by_key.get(&key).map(Vec::as_slice).unwrap_or_default());
        }
        positions.sort_unstable();
        positions.dedup();
        Some(positions)
    }
}

/// Splits at `separator` outside `[...]` and `(...)`.
fn split_outside_brackets(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (index, c) in text.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            c if c == separator && depth == 0 => {
                parts.push(&text[start..index]);
                start = index + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The key of the last compound selector of `part` (after the last combinator): its id, else
/// an attribute it requires, else a class, else its tag. Requirements inside `:not(...)` and
/// other pseudo-classes are ignored.
fn rightmost_compound_key(part: &str) -> Option<SelectorKey> {
    let part = part.trim();
    let mut depth = 0i32;
    let mut compound_start = 0;
    for (index, c) in part.char_indices() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            ' ' | '>' | '+' | '~' if depth == 0 => compound_start = index + 1,
            _ => {}
        }
    }
    let compound = &part[compound_start..];
    let ident_end = |text: &str| {
        text.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(text.len())
    };
    let (mut id, mut attribute, mut class) = (None, None, None);
    let tag_length = ident_end(compound);
    let tag = (tag_length > 0).then(|| compound[..tag_length].to_ascii_lowercase());
    let mut depth = 0i32;
    for (index, c) in compound.char_indices() {
        let rest = &compound[index + c.len_utf8()..];
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '#' if depth == 0 && id.is_none() => id = Some(rest[..ident_end(rest)].to_string()),
            '[' if depth == 0 && attribute.is_none() => {
                attribute = Some(rest[..ident_end(rest)].to_ascii_lowercase())
            }
            '.' if depth == 0 && class.is_none() => {
                class = Some(rest[..ident_end(rest)].to_string())
            }
            _ => {}
        }
    }
    id.filter(|v| !v.is_empty())
        .map(SelectorKey::Id)
        .or_else(|| {
            attribute
                .filter(|v| !v.is_empty())
                .map(SelectorKey::Attribute)
        })
        .or_else(|| class.filter(|v| !v.is_empty()).map(SelectorKey::Class))
        .or_else(|| tag.map(SelectorKey::Tag))
}

impl ParsedDom {
    /// Parses a whole HTML document.
    pub fn parse(html: &str) -> ParsedDom {
        ParsedDom {
            html: Html::parse_document(html),
            selectors: RefCell::new(HashMap::new()),
            trees: RefCell::new(HashMap::new()),
        }
    }

    /// An element as a browser serialises it (its `outerHTML`), as the live backend sends a
    /// row's copy ([`Dom::item_copy`]); `None` for other nodes.
    pub fn outer_html(&self, id: NodeId) -> Option<String> {
        ElementRef::wrap(self.node(id)).map(|element| element.html())
    }

    fn node(&self, id: NodeId) -> NodeRef<'_, Node> {
        // Ids only ever come from this tree, so the lookup cannot fail.
        self.html.tree.get(id).expect("node id from this tree")
    }

    /// The `<template shadowrootmode="open">` content fragment of an element, if any.
    fn open_shadow_fragment(&self, element: NodeRef<'_, Node>) -> Option<NodeId> {
        element.children().find_map(|child| {
            let template = child.value().as_element()?;
            if template.name() != "template" || template.attr("shadowrootmode") != Some("open") {
                return None;
            }
            child
                .children()
                .find(|c| matches!(c.value(), Node::Fragment))
                .map(|f| f.id())
        })
    }

    /// Elements of `root`'s own tree, in document order, excluding `root`: never entering
    /// template contents (shadow or inert) and skipping declarative shadow templates, which a
    /// browser consumes.
    fn tree(&self, root: NodeId) -> Rc<TreeIndex> {
        if let Some(cached) = self.trees.borrow().get(&root) {
            return Rc::clone(cached);
        }
        let tree = Rc::new(TreeIndex::build(self, self.walk_tree(root)));
        self.trees.borrow_mut().insert(root, Rc::clone(&tree));
        tree
    }

    fn walk_tree(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeRef<'_, Node>> = self.node(root).children().collect();
        stack.reverse();
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Element(element) => {
                    if element.name() == "template" && element.attr("shadowrootmode").is_some() {
                        continue;
                    }
                    out.push(node.id());
                    if element.name() == "template" {
                        continue;
                    }
                    let mut children: Vec<_> = node.children().collect();
                    children.reverse();
                    stack.extend(children);
                }
                Node::Document => {
                    let mut children: Vec<_> = node.children().collect();
                    children.reverse();
                    stack.extend(children);
                }
                _ => {}
            }
        }
        out
    }

    fn with_selector<T>(
        &self,
        selector: &'static str,
        use_it: impl FnOnce(&Selector) -> T,
    ) -> Option<T> {
        let mut cache = self.selectors.borrow_mut();
        let parsed = cache
            .entry(selector)
            .or_insert_with(|| Selector::parse(selector).ok());
        parsed.as_ref().map(use_it)
    }
}

/// A node's number for [`Dom::fingerprints`]: from its place in the parse (see there).
fn node_number(id: NodeId) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

impl Dom for ParsedDom {
    type Node = NodeId;

    fn document(&self) -> NodeId {
        self.html.tree.root().id()
    }

    fn query_tree(&self, root: &NodeId, selector: &'static str) -> Vec<NodeId> {
        let tree = self.tree(*root);
        // `:scope` is `root` when it is an element, as in the browser's `querySelectorAll`.
        let scope = ElementRef::wrap(self.node(*root));
        let matches = |id: &NodeId, parsed: &Selector| {
            ElementRef::wrap(self.node(*id))
                .is_some_and(|element| parsed.matches_with_scope(&element, scope))
        };
        self.with_selector(selector, |parsed| match tree.candidates(selector) {
            Some(positions) => positions
                .into_iter()
                .map(|position| tree.elements[position])
                .filter(|id| matches(id, parsed))
                .collect(),
            None => tree
                .elements
                .iter()
                .filter(|id| matches(id, parsed))
                .copied()
                .collect(),
        })
        .unwrap_or_default()
    }

    fn shadow_roots_in_tree(&self, root: &NodeId) -> Vec<NodeId> {
        let root_node = self.node(*root);
        let own = root_node
            .value()
            .is_element()
            .then(|| self.open_shadow_fragment(root_node))
            .flatten();
        own.into_iter()
            .chain(self.tree(*root).shadow_roots.iter().copied())
            .collect()
    }

    fn shadow_root(&self, element: &NodeId) -> Option<NodeId> {
        let node = self.node(*element);
        node.value()
            .is_element()
            .then(|| self.open_shadow_fragment(node))
            .flatten()
    }

    fn is_shadow_root(&self, node: &NodeId) -> bool {
        matches!(self.node(*node).value(), Node::Fragment)
    }

    fn parent(&self, node: &NodeId) -> Option<NodeId> {
        let parent = self.node(*node).parent()?;
        if matches!(self.node(*node).value(), Node::Fragment) {
            // Fragment → template → host.
            return parent.parent().map(|host| host.id());
        }
        Some(parent.id())
    }

    fn children(&self, node: &NodeId) -> Vec<Child<NodeId>> {
        self.node(*node)
            .children()
            .filter_map(|child| match child.value() {
                Node::Text(text) => Some(Child::Text(text.to_string())),
                Node::Element(element)
                    if element.name() == "template" && element.attr("shadowrootmode").is_some() =>
                {
                    None
                }
                Node::Element(_) => Some(Child::Node(child.id())),
                _ => None,
            })
            .collect()
    }

    fn next_element_sibling(&self, node: &NodeId) -> Option<NodeId> {
        self.node(*node)
            .next_siblings()
            .find(|sibling| sibling.value().is_element())
            .map(|sibling| sibling.id())
    }

    fn tag_name(&self, node: &NodeId) -> Option<String> {
        self.node(*node)
            .value()
            .as_element()
            .map(|element| element.name().to_ascii_lowercase())
    }

    fn attribute(&self, node: &NodeId, name: &str) -> Option<String> {
        self.node(*node)
            .value()
            .as_element()?
            .attr(name)
            .map(str::to_string)
    }

    fn form_value(&self, node: &NodeId) -> Option<String> {
        let element = self.node(*node);
        match element.value().as_element()?.name() {
            "textarea" => Some(
                element
                    .children()
                    .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
                    .collect(),
            ),
            _ => self.attribute(node, "value"),
        }
    }

    fn same_node(&self, a: &NodeId, b: &NodeId) -> bool {
        a == b
    }

    fn numbers(&self, nodes: &[NodeId]) -> Option<Vec<u64>> {
        Some(nodes.iter().map(|&id| node_number(id)).collect())
    }

    // A node's number is its place in the parse: the same in two parses of pages that differ
    // only after it, which is how tests stand for a page that changed between two passes. As
    // the live backend's, a fingerprint is of the light DOM: a declarative shadow root's
    // `template` and what it holds are not in it.
    fn fingerprints(
        &self,
        nodes: &[NodeId],
        names: &[&'static str],
        numbered: &'static str,
    ) -> Option<Vec<(u64, u64)>> {
        fn sized(print: &mut String, value: Option<&str>) {
            match value {
                Some(value) => print.push_str(&format!("{}:{value}", value.len())),
                None => print.push('-'),
            }
        }
        fn is_shadow_template(element: &scraper::node::Element) -> bool {
            element.name() == "template" && element.attr("shadowrootmode").is_some()
        }
        fn light_text(node: NodeRef<'_, Node>, text: &mut String) {
            for child in node.children() {
                match child.value() {
                    Node::Element(element) if is_shadow_template(element) => {}
                    Node::Text(part) => text.push_str(part),
                    _ => light_text(child, text),
                }
            }
        }
        let own =
            |element: &scraper::node::Element| element.name().starts_with(super::OWN_TAG_PREFIX);
        Some(
            nodes
                .iter()
                .map(|&id| {
                    let node = self.node(id);
                    let mut print = String::new();
                    if let Some(element) = node.value().as_element() {
                        let parent = node.parent();
                        let grandparent = parent.and_then(|parent| parent.parent());
                        for up in [parent, grandparent] {
                            print
                                .push_str(&format!("{},", up.map_or(0, |up| node_number(up.id()))));
                        }
                        print.push('|');
                        for name in names {
                            sized(&mut print, element.attr(name));
                        }
                        print.push('|');
                        for child in node.children() {
                            if let Some(element) = child.value().as_element() {
                                if !own(element) && !is_shadow_template(element) {
                                    print.push_str(&format!("{},", node_number(child.id())));
                                }
                            }
                        }
                        print.push('|');
                        for matched in self.query_tree(&id, numbered) {
                            let Some(element) = self.node(matched).value().as_element() else {
                                continue;
                            };
                            if own(element) {
                                continue;
                            }
                            print.push_str(&format!("{},", node_number(matched)));
                            sized(&mut print, element.attr("href"));
                            sized(&mut print, element.attr("data-recordid"));
                        }
                        print.push('|');
                        light_text(node, &mut print);
                    }
                    // The whole fingerprint, hashed as the live backend sends it.
                    let mut hasher = std::collections::hash_map::DefaultHasher::new();
                    std::hash::Hash::hash(&print, &mut hasher);
                    (node_number(id), std::hash::Hasher::finish(&hasher))
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::{query_composed, tree_host};

    const PAGE: &str = r#"<html><body>
        <div id="host"><template shadowrootmode="open"><p class="x" id="in-shadow"><slot></slot></p></template><p class="x" id="light">light</p></div>
        <div id="closed"><template shadowrootmode="closed"><p class="x" id="in-closed"></p></template></div>
        <template><p class="x" id="inert"></p></template>
        </body></html>"#;

    fn ids(dom: &ParsedDom, nodes: &[NodeId]) -> Vec<String> {
        nodes
            .iter()
            .filter_map(|n| dom.attribute(n, "id"))
            .collect()
    }

    #[test]
    fn queries_respect_shadow_boundaries() {
        let dom = ParsedDom::parse(PAGE);
        let document = dom.document();
        assert_eq!(ids(&dom, &dom.query_tree(&document, ".x")), ["light"]);
        assert_eq!(
            ids(&dom, &query_composed(&dom, &document, ".x")),
            ["light", "in-shadow"]
        );
        assert!(dom.query_tree(&document, "#host .x#in-shadow").is_empty());
        assert!(
            dom.query_tree(&document, "template").len() == 1,
            "only the inert template is an element"
        );
    }

    /// Nested roots, and a second host after the first: the trees' order must be
    /// `query_composed`'s (the document, then each root followed by the roots inside it).
    const NESTED: &str = r#"<html><body>
        <p class="x" id="d1"></p>
        <a-host id="a"><template shadowrootmode="open"><p class="x" id="a1"></p>
          <b-host><template shadowrootmode="open"><p class="x" id="b1"></p></template></b-host>
          <p class="x" id="a2"></p></template></a-host>
        <c-host><template shadowrootmode="open"><p class="x" id="c1"></p></template></c-host>
        <p class="x" id="d2"></p>
        </body></html>"#;

    #[test]
    fn trees_read_in_query_composed_order_and_walk_only_when_asked() {
        use crate::dom::Trees;
        let dom = ParsedDom::parse(NESTED);
        let document = dom.document();
        let trees = Trees::new(&dom);
        let composed = ids(&dom, &query_composed(&dom, &document, ".x"));
        assert_eq!(composed, ["d1", "d2", "a1", "a2", "b1", "c1"]);
        assert_eq!(ids(&dom, &trees.query_all(&dom, ".x")), composed);
        let id = |node: NodeId| dom.attribute(&node, "id");
        assert_eq!(trees.find_map(&dom, ".x", id).as_deref(), Some("d1"));
        let not_light = |node: NodeId| id(node).filter(|i| !i.starts_with('d'));
        assert_eq!(trees.find_map(&dom, ".x", not_light).as_deref(), Some("a1"));
    }

    #[test]
    fn composed_parents_lead_to_the_host() {
        let dom = ParsedDom::parse(PAGE);
        let document = dom.document();
        let inner = query_composed(&dom, &document, "#in-shadow").remove(0);
        let host = tree_host(&dom, &inner).unwrap();
        assert_eq!(dom.attribute(&host, "id").as_deref(), Some("host"));
        assert!(tree_host(&dom, &dom.query_tree(&document, "#light")[0]).is_none());
        assert!(tree_host(&dom, &document).is_none());
        let shadow = dom.parent(&inner).unwrap();
        assert!(dom.is_shadow_root(&shadow));
        assert!(dom.same_node(&dom.tree_root(&inner), &shadow));
        assert!(
            dom.same_node(&dom.tree_root(&shadow), &shadow),
            "a root is its own"
        );
        assert!(
            tree_host(&dom, &shadow).is_none(),
            "the host lives in the document"
        );
    }

    #[test]
    fn selector_keys_pick_the_most_specific_requirement() {
        use super::SelectorKey::*;
        assert_eq!(
            rightmost_compound_key("records-record-layout-item[field-label]"),
            Some(Attribute("field-label".into()))
        );
        assert_eq!(
            rightmost_compound_key(".bPageTitle h2.pageDescription"),
            Some(Class("pageDescription".into()))
        );
        assert_eq!(
            rightmost_compound_key("input:not([type=\"hidden\"])"),
            Some(Tag("input".into()))
        );
        assert_eq!(
            rightmost_compound_key("#opp3_ileinner"),
            Some(Id("opp3_ileinner".into()))
        );
        assert_eq!(rightmost_compound_key("*"), None);
        assert_eq!(
            split_outside_brackets("a, b[x=\"1,2\"]", ','),
            vec!["a", " b[x=\"1,2\"]"]
        );
    }

    #[test]
    fn indexed_queries_equal_full_scans() {
        let dom = ParsedDom::parse(PAGE);
        let document = dom.document();
        for selector in [
            ".x",
            "p",
            "#light",
            "div > p.x",
            "[id]",
            "p, div",
            "*",
            "p:not(.x)",
        ] {
            let tree = dom.tree(document);
            let scanned: Vec<NodeId> = dom
                .with_selector(selector, |parsed| {
                    tree.elements
                        .iter()
                        .filter(|id| {
                            ElementRef::wrap(dom.node(**id)).is_some_and(|e| parsed.matches(&e))
                        })
                        .copied()
                        .collect()
                })
                .unwrap();
            assert_eq!(dom.query_tree(&document, selector), scanned, "{selector}");
        }
    }

    #[test]
    fn scope_is_the_element_queried() {
        let dom = ParsedDom::parse(
            "<table id=\"outer\"><tr id=\"own\"><td><table><tr id=\"nested\"><td></td></tr></table>\
             </td></tr></table>",
        );
        let outer = dom.query_tree(&dom.document(), "#outer").remove(0);
        assert_eq!(ids(&dom, &dom.query_tree(&outer, "tr")), ["own", "nested"]);
        // The parser puts the rows in a `tbody`.
        assert_eq!(
            ids(&dom, &dom.query_tree(&outer, ":scope > tbody > tr")),
            ["own"]
        );
    }

    #[test]
    fn an_invalid_selector_matches_nothing() {
        let dom = ParsedDom::parse(PAGE);
        assert!(dom.query_tree(&dom.document(), "p[").is_empty());
    }
}
