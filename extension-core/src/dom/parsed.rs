//! The parsed-HTML backend: a page parsed by `scraper` (html5ever).
//!
//! Declarative shadow DOM (`<template shadowrootmode="open">`) stands for native shadow roots,
//! as a browser would attach them: html5ever puts a template's content under a `Fragment`
//! node, which plays the shadow root. Closed declarative roots and plain `<template>` contents
//! stay unreachable, as in a browser.

use std::cell::RefCell;
use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

use super::{Child, Dom};

/// A parsed page.
pub struct ParsedDom {
    html: Html,
    selectors: RefCell<HashMap<&'static str, Option<Selector>>>,
}

impl ParsedDom {
    /// Parses a whole HTML document.
    pub fn parse(html: &str) -> ParsedDom {
        ParsedDom {
            html: Html::parse_document(html),
            selectors: RefCell::new(HashMap::new()),
        }
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
    fn tree_elements(&self, root: NodeId) -> Vec<NodeRef<'_, Node>> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeRef<'_, Node>> = self.node(root).children().collect();
        stack.reverse();
        while let Some(node) = stack.pop() {
            match node.value() {
                Node::Element(element) => {
                    if element.name() == "template" && element.attr("shadowrootmode").is_some() {
                        continue;
                    }
                    out.push(node);
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

impl Dom for ParsedDom {
    type Node = NodeId;

    fn document(&self) -> NodeId {
        self.html.tree.root().id()
    }

    fn query_tree(&self, root: &NodeId, selector: &'static str) -> Vec<NodeId> {
        let elements = self.tree_elements(*root);
        self.with_selector(selector, |parsed| {
            elements
                .into_iter()
                .filter(|node| {
                    ElementRef::wrap(*node).is_some_and(|element| parsed.matches(&element))
                })
                .map(|node| node.id())
                .collect()
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
            .chain(
                self.tree_elements(*root)
                    .into_iter()
                    .filter_map(|node| self.open_shadow_fragment(node)),
            )
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

    #[test]
    fn composed_parents_lead_to_the_host() {
        let dom = ParsedDom::parse(PAGE);
        let document = dom.document();
        let inner = query_composed(&dom, &document, "#in-shadow").remove(0);
        let host = tree_host(&dom, &inner).unwrap();
        assert_eq!(dom.attribute(&host, "id").as_deref(), Some("host"));
        assert!(tree_host(&dom, &dom.query_tree(&document, "#light")[0]).is_none());
    }

    #[test]
    fn an_invalid_selector_matches_nothing() {
        let dom = ParsedDom::parse(PAGE);
        assert!(dom.query_tree(&dom.document(), "p[").is_empty());
    }
}
