//! Visible text of a node, as a reader sees it: assistive and hidden text dropped, buttons and
//! icons skipped, native shadow roots rendered with their slots filled from the host's children.

use crate::dom::{tree_host, Child, Dom};
use crate::value::normalize_spaces;

/// Tags whose content is never part of a value.
const SKIPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "button",
    "svg",
    "lightning-primitive-icon",
    "lightning-icon",
    "lightning-helptext",
    "lightning-button-icon",
    "img",
];
/// Classes of hidden text (the owner link's "Open <Name> Preview" among them).
const HIDDEN_CLASSES: &[&str] = &[
    "slds-assistive-text",
    "assistiveText",
    "slds-hide",
    "hidden",
    "hide",
];
/// Elements that break a line of text (joined with a space).
const BLOCK_TAGS: &[&str] = &[
    "div", "p", "li", "br", "td", "th", "tr", "dd", "dt", "section", "h1", "h2", "h3",
];

/// Whether an element (and everything under it) is hidden or not part of any value.
pub fn is_hidden<D: Dom>(dom: &D, node: &D::Node) -> bool {
    let [hidden, aria_hidden, class, style]: [Option<String>; 4] = dom
        .attributes(node, &["hidden", "aria-hidden", "class", "style"])
        .try_into()
        .unwrap_or_default();
    if hidden.is_some() || aria_hidden.as_deref() == Some("true") {
        return true;
    }
    if class.is_some_and(|classes| {
        classes
            .split_ascii_whitespace()
            .any(|c| HIDDEN_CLASSES.contains(&c))
    }) {
        return true;
    }
    style.is_some_and(|style| {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        compact.contains("display:none") || compact.contains("visibility:hidden")
    })
}

/// The visible text under `node`, white space collapsed. `extra_skip` drops more elements
/// (labels, when reading a value out of a whole field container).
pub fn visible_text<D: Dom>(
    dom: &D,
    node: &D::Node,
    extra_skip: &dyn Fn(&D::Node) -> bool,
) -> String {
    visible_text_checked(dom, node, extra_skip).0
}

/// [`visible_text`] with nothing more skipped, read from a copy of the subtree where the backend
/// makes one ([`Dom::text_snapshot`]: one call instead of a dozen per element on the live DOM).
/// The same walk runs over the copy, so the text is the same.
pub fn visible_text_plain<D: Dom>(dom: &D, node: &D::Node) -> String {
    match dom.text_snapshot(node) {
        Some(snapshot) if snapshot.is_faithful() => {
            let mut out = String::new();
            let mut too_deep = false;
            // The copy's element is its own top: no host (a slot it holds is not filled from
            // outside it, `is_faithful`).
            walk(
                &snapshot,
                &snapshot.root(),
                None,
                &|_| false,
                &mut out,
                &mut too_deep,
                0,
            );
            normalize_spaces(&out)
        }
        _ => visible_text(dom, node, &|_| false),
    }
}

/// [`visible_text`], and whether an element nested more than [`MAX_DEPTH`] levels below `node`
/// was left out (its text, if any, is missing).
pub fn visible_text_checked<D: Dom>(
    dom: &D,
    node: &D::Node,
    extra_skip: &dyn Fn(&D::Node) -> bool,
) -> (String, bool) {
    let mut out = String::new();
    let mut too_deep = false;
    let host = tree_host(dom, node);
    walk(
        dom,
        node,
        host.as_ref(),
        extra_skip,
        &mut out,
        &mut too_deep,
        0,
    );
    (normalize_spaces(&out), too_deep)
}

/// Deeper than any real page; a guard against hostile nesting.
pub const MAX_DEPTH: usize = 256;
// A subtree copy holds every element the walk reads (`dom::snapshot`).
const _: () = assert!(crate::dom::snapshot::SNAPSHOT_DEPTH as usize == MAX_DEPTH + 1);

fn walk<D: Dom>(
    dom: &D,
    node: &D::Node,
    host: Option<&D::Node>,
    extra_skip: &dyn Fn(&D::Node) -> bool,
    out: &mut String,
    too_deep: &mut bool,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        *too_deep |= dom
            .tag_name(node)
            .is_some_and(|tag| !SKIPPED_TAGS.contains(&tag.as_str()))
            && !is_hidden(dom, node)
            && !extra_skip(node);
        return;
    }
    let tag = dom.tag_name(node);
    if let Some(tag) = tag.as_deref() {
        if SKIPPED_TAGS.contains(&tag) || is_hidden(dom, node) || extra_skip(node) {
            return;
        }
        if BLOCK_TAGS.contains(&tag) {
            out.push(' ');
        }
        if tag == "slot" {
            if let Some(host) = host {
                let assigned = assigned_nodes(
                    dom,
                    host,
                    dom.attribute(node, "name").unwrap_or_default().as_str(),
                );
                if !assigned.is_empty() {
                    let outer_host = tree_host(dom, host);
                    for child in assigned {
                        match child {
                            Child::Text(text) => out.push_str(&text),
                            Child::Node(child) => walk(
                                dom,
                                &child,
                                outer_host.as_ref(),
                                extra_skip,
                                out,
                                too_deep,
                                depth + 1,
                            ),
                        }
                    }
                    return;
                }
            }
        }
        if let Some(shadow) = dom.shadow_root(node) {
            for child in dom.children(&shadow) {
                match child {
                    Child::Text(text) => out.push_str(&text),
                    Child::Node(child) => walk(
                        dom,
                        &child,
                        Some(node),
                        extra_skip,
                        out,
                        too_deep,
                        depth + 1,
                    ),
                }
            }
            return;
        }
    }
    for child in dom.children(node) {
        match child {
            Child::Text(text) => out.push_str(&text),
            Child::Node(child) => walk(dom, &child, host, extra_skip, out, too_deep, depth + 1),
        }
    }
    if tag.as_deref().is_some_and(|t| BLOCK_TAGS.contains(&t)) {
        out.push(' ');
    }
}

/// The host's light children assigned to the slot named `slot_name` ("" is the default slot).
fn assigned_nodes<D: Dom>(dom: &D, host: &D::Node, slot_name: &str) -> Vec<Child<D::Node>> {
    dom.children(host)
        .into_iter()
        .filter(|child| match child {
            Child::Text(_) => slot_name.is_empty(),
            Child::Node(node) => dom.attribute(node, "slot").unwrap_or_default() == slot_name,
        })
        .collect()
}
