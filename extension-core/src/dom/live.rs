//! The live DOM backend: the browser's own nodes through `web-sys`.
//!
//! A content script runs in an isolated world whose DOM methods are not patched by LWC, so
//! plain queries already see through Lightning's *synthetic* shadow DOM; *native* shadow roots
//! (mixed mode) are visited explicitly through `Element.shadowRoot`, which returns open roots
//! only. Closed roots stay closed, as they must.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use web_sys::{
    Document, DocumentFragment, Element, HtmlInputElement, HtmlTextAreaElement, Node, NodeList,
    ShadowRoot,
};

use super::{Child, Dom};

// One call instead of two per element: finding the open shadow roots of a tree element by
// element from Rust costs a `NodeList.item` and a `shadowRoot` crossing each (about 17,000 on a
// large record page, most of an evaluation's time in the content script's wasm2js core).
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function openShadowRootsUnder(root) {
  const found = [];
  if (root.shadowRoot) found.push(root.shadowRoot);
  for (const element of root.querySelectorAll('*')) {
    const shadow = element.shadowRoot;
    if (shadow) found.push(shadow);
  }
  return found;
}
"#)]
extern "C" {
    /// The open shadow roots of `root` (an element, a document or a fragment) and of every
    /// element in its tree, in document order; not those nested inside them.
    #[wasm_bindgen(js_name = openShadowRootsUnder)]
    fn open_shadow_roots_under(root: &Node) -> js_sys::Array;
}

/// A live document.
pub struct LiveDom {
    document: Document,
    /// Open shadow roots found under each tree root already visited in this pass.
    shadow_roots: RefCell<Vec<(Node, Vec<Node>)>>,
}

impl LiveDom {
    /// Wraps a document (the page's own, or one parsed by `Document.parseHTMLUnsafe`).
    pub fn new(document: Document) -> LiveDom {
        LiveDom {
            document,
            shadow_roots: RefCell::new(Vec::new()),
        }
    }

    fn select_all(root: &Node, selector: &str) -> Option<NodeList> {
        if let Some(element) = root.dyn_ref::<Element>() {
            element.query_selector_all(selector).ok()
        } else if let Some(fragment) = root.dyn_ref::<DocumentFragment>() {
            fragment.query_selector_all(selector).ok()
        } else if let Some(document) = root.dyn_ref::<Document>() {
            document.query_selector_all(selector).ok()
        } else {
            None
        }
    }

    fn nodes(list: Option<NodeList>) -> Vec<Node> {
        let Some(list) = list else { return Vec::new() };
        (0..list.length())
            .filter_map(|index| list.item(index))
            .collect()
    }
}

impl Dom for LiveDom {
    type Node = Node;

    fn document(&self) -> Node {
        self.document.clone().into()
    }

    fn query_tree(&self, root: &Node, selector: &'static str) -> Vec<Node> {
        Self::nodes(Self::select_all(root, selector))
    }

    fn shadow_roots_in_tree(&self, root: &Node) -> Vec<Node> {
        if let Some((_, roots)) = self
            .shadow_roots
            .borrow()
            .iter()
            .find(|(key, _)| key.is_same_node(Some(root)))
        {
            return roots.clone();
        }
        let roots: Vec<Node> = open_shadow_roots_under(root)
            .iter()
            .filter_map(|root| root.dyn_into::<Node>().ok())
            .collect();
        self.shadow_roots
            .borrow_mut()
            .push((root.clone(), roots.clone()));
        roots
    }

    fn shadow_root(&self, element: &Node) -> Option<Node> {
        element.dyn_ref::<Element>()?.shadow_root().map(Node::from)
    }

    fn is_shadow_root(&self, node: &Node) -> bool {
        node.dyn_ref::<ShadowRoot>().is_some()
    }

    fn parent(&self, node: &Node) -> Option<Node> {
        match node.dyn_ref::<ShadowRoot>() {
            Some(shadow) => Some(shadow.host().into()),
            None => node.parent_node(),
        }
    }

    fn children(&self, node: &Node) -> Vec<Child<Node>> {
        let list = node.child_nodes();
        (0..list.length())
            .filter_map(|index| list.item(index))
            .filter_map(|child| match child.node_type() {
                Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                    Some(Child::Text(child.text_content().unwrap_or_default()))
                }
                Node::ELEMENT_NODE => Some(Child::Node(child)),
                _ => None,
            })
            .collect()
    }

    fn next_element_sibling(&self, node: &Node) -> Option<Node> {
        node.dyn_ref::<Element>()?
            .next_element_sibling()
            .map(Node::from)
    }

    fn tag_name(&self, node: &Node) -> Option<String> {
        node.dyn_ref::<Element>()
            .map(|element| element.local_name().to_ascii_lowercase())
    }

    fn attribute(&self, node: &Node, name: &str) -> Option<String> {
        node.dyn_ref::<Element>()?.get_attribute(name)
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
}
