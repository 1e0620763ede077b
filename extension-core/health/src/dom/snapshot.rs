//! A copy of one element's subtree, made in one call, for reading its visible text.
//!
//! On the live DOM each step of [`crate::extract::text::visible_text`] is a crossing between
//! wasm and JavaScript (a tag, five attributes, a shadow root, every child): a list cell of a
//! few elements costs about a hundred, a 50-row list view tens of thousands. A backend that
//! can serialise a subtree in one call ([`Dom::text_snapshot`]) hands it over in the form
//! below, and the same walk runs over this copy: what is read does not change, only how.
//!
//! The copy holds what the walk asks of an element and nothing else: its local name, the
//! attributes in [`SNAPSHOT_ATTRIBUTES`], its open shadow root, its element and text children.
//!
//! Wire form, one string: a flag (`1` when the element lies in a shadow tree, else `0`), then
//! the element as tokens. A string is written `<length>:<characters>`, its length counted in
//! UTF-16 units (JavaScript's `length`); an absent attribute is `-`.
//!
//! - `E` name attribute×6 [`S` children `)`] children `)`: an element, its open shadow root's
//!   children (`S` ... `)`), then its own children; an element [`SNAPSHOT_DEPTH`] levels below
//!   the first is sent without either (the walk reads no deeper);
//! - `T` string: a text (or CDATA) node.

use super::{Child, Dom};

/// The attributes a visible-text walk reads, in the order the wire form sends them.
pub const SNAPSHOT_ATTRIBUTES: [&str; 6] =
    ["hidden", "aria-hidden", "class", "style", "slot", "name"];

/// Elements deeper than this below the first are sent without their shadow root and children:
/// the text walk's `MAX_DEPTH` + 1, the deepest it reads a tag and attributes at (checked
/// where `MAX_DEPTH` is defined, which this module must not import).
pub const SNAPSHOT_DEPTH: u32 = 257;

/// The most nodes (elements and texts) one snapshot holds; a larger subtree is read the slow
/// way (the same answer).
pub const SNAPSHOT_NODES: u32 = 4096;

/// A node of the copy: an element or a shadow root.
struct Item {
    /// Lower-case tag name; `None` for a shadow root.
    tag: Option<String>,
    /// [`SNAPSHOT_ATTRIBUTES`]'s values, in order.
    attributes: [Option<String>; 6],
    children: Vec<Child<u32>>,
    shadow: Option<u32>,
    /// The composed parent (a shadow root's is its host).
    parent: Option<u32>,
}

/// One element's subtree (node 0), copied.
pub struct Snapshot {
    items: Vec<Item>,
    /// Whether the element lies in a shadow tree (its text may fill slots from outside it).
    in_shadow: bool,
    /// Whether the copy holds a `slot` element.
    has_slot: bool,
}

impl Snapshot {
    /// Parses the wire form; `None` when it is malformed.
    pub fn parse(wire: &str) -> Option<Snapshot> {
        let mut reader = Wire { rest: wire };
        let in_shadow = match reader.byte()? {
            b'1' => true,
            b'0' => false,
            _ => return None,
        };
        let mut snapshot = Snapshot {
            items: Vec::new(),
            in_shadow,
            has_slot: false,
        };
        if reader.byte()? != b'E' {
            return None;
        }
        snapshot.element(&mut reader, None)?;
        reader.rest.is_empty().then_some(snapshot)
    }

    /// Whether the walk over this copy reads what the walk over the live subtree reads: not
    /// when a slot may be filled from a host outside the copy.
    pub fn is_faithful(&self) -> bool {
        !(self.in_shadow && self.has_slot)
    }

    /// The copied element.
    pub fn root(&self) -> u32 {
        0
    }

    /// Reads an element whose `E` was read, its shadow root and children, up to its `)`.
    fn element(&mut self, reader: &mut Wire<'_>, parent: Option<u32>) -> Option<u32> {
        let tag = reader.string()?.to_ascii_lowercase();
        self.has_slot |= tag == "slot";
        let mut attributes: [Option<String>; 6] = Default::default();
        for value in attributes.iter_mut() {
            *value = reader.optional()?;
        }
        let index = self.push(Item {
            tag: Some(tag),
            attributes,
            children: Vec::new(),
            shadow: None,
            parent,
        })?;
        loop {
            match reader.byte()? {
                b'S' => {
                    let shadow = self.push(Item {
                        tag: None,
                        attributes: Default::default(),
                        children: Vec::new(),
                        shadow: None,
                        parent: Some(index),
                    })?;
                    self.items[index as usize].shadow = Some(shadow);
                    self.children(reader, shadow)?;
                }
                b'E' => {
                    let child = self.element(reader, Some(index))?;
                    self.items[index as usize].children.push(Child::Node(child));
                }
                b'T' => {
                    let text = reader.string()?.to_string();
                    self.items[index as usize].children.push(Child::Text(text));
                }
                b')' => return Some(index),
                _ => return None,
            }
        }
    }

    /// Reads a shadow root's children up to its `)`.
    fn children(&mut self, reader: &mut Wire<'_>, parent: u32) -> Option<()> {
        loop {
            match reader.byte()? {
                b'E' => {
                    let child = self.element(reader, Some(parent))?;
                    self.items[parent as usize]
                        .children
                        .push(Child::Node(child));
                }
                b'T' => {
                    let text = reader.string()?.to_string();
                    self.items[parent as usize].children.push(Child::Text(text));
                }
                b')' => return Some(()),
                _ => return None,
            }
        }
    }

    fn push(&mut self, item: Item) -> Option<u32> {
        let index = u32::try_from(self.items.len()).ok()?;
        self.items.push(item);
        Some(index)
    }

    fn item(&self, node: u32) -> &Item {
        &self.items[node as usize]
    }
}

/// `count` values in the wire form's strings (`<length>:<characters>`, `-` for none), as a
/// backend sends several attributes of one element ([`Dom::attributes`]); `None` when malformed.
pub fn parse_values(wire: &str, count: usize) -> Option<Vec<Option<String>>> {
    let mut reader = Wire { rest: wire };
    let values = (0..count)
        .map(|_| reader.optional())
        .collect::<Option<Vec<_>>>()?;
    reader.rest.is_empty().then_some(values)
}

/// A child list's order as a backend sends it with the elements apart ([`Dom::children`] in one
/// call): `E` for the next element, `T<length>:<text>` for a text. Empty when malformed.
pub fn parse_child_order(order: &str) -> Vec<Child<()>> {
    let mut reader = Wire { rest: order };
    let mut children = Vec::new();
    while !reader.rest.is_empty() {
        match reader.byte() {
            Some(b'E') => children.push(Child::Node(())),
            Some(b'T') => match reader.string() {
                Some(text) => children.push(Child::Text(text.to_string())),
                None => return Vec::new(),
            },
            _ => return Vec::new(),
        }
    }
    children
}

/// The wire form, read from the front.
struct Wire<'w> {
    rest: &'w str,
}

impl<'w> Wire<'w> {
    fn byte(&mut self) -> Option<u8> {
        let first = *self.rest.as_bytes().first()?;
        if !first.is_ascii() {
            return None;
        }
        self.rest = &self.rest[1..];
        Some(first)
    }

    /// `<length>:<characters>`, the length in UTF-16 units.
    fn string(&mut self) -> Option<&'w str> {
        let colon = self.rest.find(':')?;
        let units: usize = self.rest[..colon].parse().ok()?;
        let body = &self.rest[colon + 1..];
        let mut counted = 0;
        let mut end = body.len();
        for (offset, c) in body.char_indices() {
            if counted == units {
                end = offset;
                break;
            }
            counted += c.len_utf16();
        }
        if counted != units {
            return None;
        }
        let (text, rest) = body.split_at(end);
        self.rest = rest;
        Some(text)
    }

    /// A string, or `-` for none.
    fn optional(&mut self) -> Option<Option<String>> {
        if let Some(rest) = self.rest.strip_prefix('-') {
            self.rest = rest;
            return Some(None);
        }
        self.string().map(|text| Some(text.to_string()))
    }
}

impl Dom for Snapshot {
    type Node = u32;

    fn document(&self) -> u32 {
        0
    }
    fn query_tree(&self, _root: &u32, _selector: &'static str) -> Vec<u32> {
        Vec::new()
    }
    fn shadow_roots_in_tree(&self, _root: &u32) -> Vec<u32> {
        Vec::new()
    }
    fn shadow_root(&self, element: &u32) -> Option<u32> {
        self.item(*element).shadow
    }
    fn is_shadow_root(&self, node: &u32) -> bool {
        self.item(*node).tag.is_none()
    }
    fn parent(&self, node: &u32) -> Option<u32> {
        self.item(*node).parent
    }
    fn children(&self, node: &u32) -> Vec<Child<u32>> {
        self.item(*node)
            .children
            .iter()
            .map(|child| match child {
                Child::Node(index) => Child::Node(*index),
                Child::Text(text) => Child::Text(text.clone()),
            })
            .collect()
    }
    fn next_element_sibling(&self, node: &u32) -> Option<u32> {
        let siblings = &self.item(self.item(*node).parent?).children;
        let mut after = siblings
            .iter()
            .skip_while(|child| !matches!(child, Child::Node(index) if index == node));
        after.next();
        after.find_map(|child| match child {
            Child::Node(index) => Some(*index),
            Child::Text(_) => None,
        })
    }
    fn tag_name(&self, node: &u32) -> Option<String> {
        self.item(*node).tag.clone()
    }
    fn attribute(&self, node: &u32, name: &str) -> Option<String> {
        let position = SNAPSHOT_ATTRIBUTES
            .iter()
            .position(|known| *known == name)?;
        self.item(*node).attributes[position].clone()
    }
    fn form_value(&self, node: &u32) -> Option<String> {
        self.attribute(node, "value")
    }
    fn same_node(&self, a: &u32, b: &u32) -> bool {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_round_trips_an_element() {
        let wire = "0E2:td2:hi-6:cell x---E4:span--2:ok---T3:a😀)T1: )";
        let snapshot = Snapshot::parse(wire).expect("well formed");
        assert_eq!(snapshot.tag_name(&0).as_deref(), Some("td"));
        assert_eq!(snapshot.attribute(&0, "class").as_deref(), Some("cell x"));
        assert_eq!(snapshot.attribute(&0, "aria-hidden"), None);
        assert_eq!(snapshot.attribute(&0, "hidden").as_deref(), Some("hi"));
        let children = snapshot.children(&0);
        assert_eq!(children.len(), 2);
        let Child::Node(span) = children[0] else {
            panic!("an element first")
        };
        assert_eq!(snapshot.attribute(&span, "class").as_deref(), Some("ok"));
        assert!(matches!(&snapshot.children(&span)[0], Child::Text(t) if t == "a😀"));
        assert!(snapshot.is_faithful());
    }

    #[test]
    fn values_and_child_orders_are_read() {
        assert_eq!(
            parse_values("-3:a:b0:", 3),
            Some(vec![None, Some("a:b".to_string()), Some(String::new())])
        );
        assert_eq!(parse_values("-", 2), None);
        let order = parse_child_order("ET2: xE");
        assert!(
            matches!(order.as_slice(), [Child::Node(()), Child::Text(t), Child::Node(())] if t == " x")
        );
        assert!(parse_child_order("Q").is_empty());
    }

    #[test]
    fn malformed_wire_forms_are_refused() {
        for wire in [
            "",
            "0",
            "2E1:a------)",
            "0E1:a------",
            "0E9:a------)",
            "0E1:a------))",
        ] {
            assert!(Snapshot::parse(wire).is_none(), "{wire:?}");
        }
    }

    #[test]
    fn shadow_roots_are_kept_and_slots_in_shadow_trees_are_not_faithful() {
        let snapshot = Snapshot::parse("1E1:x------SE4:slot------))T1:t)").expect("well formed");
        let shadow = snapshot.shadow_root(&0).expect("a shadow root");
        assert!(snapshot.is_shadow_root(&shadow));
        assert_eq!(snapshot.parent(&shadow), Some(0));
        assert!(!snapshot.is_faithful());
    }
}
