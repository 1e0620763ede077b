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
//! A list's row is copied whole ([`Dom::item_copy`]): what reading a row asks of its cells and
//! links as well as their text. The live backend sends it as the browser serialises it (its
//! `outerHTML`, native and far cheaper than a walk in JavaScript; [`Snapshot::parse_html`]), the
//! copied attributes kept. Such a copy answers the few selectors a row's reading asks
//! ([`Snapshot::query_tree`]) and notes any question it cannot answer as the page would
//! ([`Snapshot::missed`]): the reader then reads the row from the page instead.
//!
//! Wire form, one string: a flag (`1` when the element lies in a shadow tree, else `0`), then
//! the element as tokens. A string is written `<length>:<characters>`, its length counted in
//! UTF-16 units (JavaScript's `length`); an absent attribute is `-`.
//!
//! - `E` name attribute×N (N attributes asked: six for text) [`S` children `)`] children `)`: an element, its open shadow root's
//!   children (`S` ... `)`), then its own children; an element [`SNAPSHOT_DEPTH`] levels below
//!   the first is sent without either (the walk reads no deeper);
//! - `T` string: a text (or CDATA) node.

use std::cell::Cell;

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
    /// The values of the attributes copied ([`Snapshot::parse_with`]'s `names`) that it has.
    attributes: Attributes,
    children: Vec<Child<u32>>,
    shadow: Option<u32>,
    /// The composed parent (a shadow root's is its host).
    parent: Option<u32>,
    /// An element's place among the copy's elements in the order the wire form sends them
    /// (the order [`ItemCopy`]'s way back counts them); 0 for a shadow root.
    element: u32,
}

/// The copied attributes an element has, by their place among the names copied: most elements
/// of a row have one or two of the twenty or so names a row's reading copies, so only those are
/// kept (a slot per name cost an allocation and its drop per element).
#[derive(Default)]
struct Attributes(Vec<(usize, String)>);

impl Attributes {
    fn get(&self, place: usize) -> Option<&str> {
        self.0
            .iter()
            .find(|(at, _)| *at == place)
            .map(|(_, value)| value.as_str())
    }

    /// Sets the value at `place` (the caller keeps the first of a name given twice).
    fn set(&mut self, place: usize, value: String) {
        match self.0.iter_mut().find(|(at, _)| *at == place) {
            Some((_, kept)) => *kept = value,
            None => self.0.push((place, value)),
        }
    }
}

/// One element's subtree (node 0), copied.
pub struct Snapshot {
    items: Vec<Item>,
    /// The attributes copied, in the wire form's order.
    names: &'static [&'static str],
    /// Whether the element lies in a shadow tree (its text may fill slots from outside it).
    in_shadow: bool,
    /// Whether the copy holds a `slot` element.
    has_slot: bool,
    /// Whether the copy holds an open shadow root.
    has_shadow_root: bool,
    /// Elements copied so far (the next one's place, [`Item::element`]).
    elements: u32,
    /// Set when a question asked of the copy had no answer in it ([`Snapshot::missed`]).
    missed: Cell<bool>,
}

/// A copy of a list item (a row) made in one call ([`Dom::item_copy`]), with the way back from
/// an element of the copy to the page's element it copies: what a reading keeps (the row's link,
/// where its badge goes) is the page's.
pub struct ItemCopy<N> {
    /// The copy.
    pub snapshot: Snapshot,
    /// The page's element at a place among the copy's elements ([`Item::element`]).
    original: Box<dyn Fn(u32) -> Option<N>>,
}

impl<N> ItemCopy<N> {
    /// A copy and the way back to the page's elements, by their place in the order the wire
    /// form sends them (the first element, the item itself, is 0).
    pub fn new(snapshot: Snapshot, original: Box<dyn Fn(u32) -> Option<N>>) -> Self {
        ItemCopy { snapshot, original }
    }

    /// The page's element that the copy's element `node` copies; `None` for a shadow root or
    /// where the page no longer answers.
    pub fn original(&self, node: u32) -> Option<N> {
        let item = self.snapshot.items.get(node as usize)?;
        item.tag.as_ref()?;
        (self.original)(item.element)
    }
}

impl Snapshot {
    /// Parses the wire form of a copy made for reading text ([`SNAPSHOT_ATTRIBUTES`]); `None`
    /// when it is malformed.
    pub fn parse(wire: &str) -> Option<Snapshot> {
        Snapshot::parse_with(wire, &SNAPSHOT_ATTRIBUTES)
    }

    /// Parses the wire form of a copy holding the attributes `names`, in that order; `None`
    /// when it is malformed.
    pub fn parse_with(wire: &str, names: &'static [&'static str]) -> Option<Snapshot> {
        let mut reader = Wire { rest: wire };
        let in_shadow = match reader.byte()? {
            b'1' => true,
            b'0' => false,
            _ => return None,
        };
        let mut snapshot = Snapshot {
            items: Vec::new(),
            names,
            in_shadow,
            has_slot: false,
            has_shadow_root: false,
            elements: 0,
            missed: Cell::new(false),
        };
        if reader.byte()? != b'E' {
            return None;
        }
        snapshot.element(&mut reader, None)?;
        reader.rest.is_empty().then_some(snapshot)
    }

    /// Parses a copy sent as the browser's serialisation of an element (`outerHTML`), after the
    /// same one-character flag as the wire form (`1` when the element lies in a shadow tree; a
    /// copy that holds no `slot` may say `0` either way, [`Snapshot::is_faithful`]),
    /// keeping the attributes `names`. `None` when it is not such a serialisation, nests deeper
    /// than [`SNAPSHOT_DEPTH`], holds more than [`SNAPSHOT_NODES`] nodes, or holds what the
    /// serialisation does not give back as the page has it: a `template` (its contents are
    /// serialised as if they were children), an element whose text is serialised raw (`script`,
    /// `style`, ...). The copy's elements are counted in the order their start tags come: the
    /// order of `querySelectorAll('*')` under the element, the element itself first.
    ///
    /// The serialisation is regular (HTML's fragment serialisation algorithm): every attribute
    /// written `name="value"`; `&`, `"`, no-break space, `<` and `>` escaped in values; `&`, `<`,
    /// `>` and no-break space in text; no end tag for the void elements; comments as
    /// `<!--...-->`.
    pub fn parse_html(wire: &str, names: &'static [&'static str]) -> Option<Snapshot> {
        let (flag, html) = (wire.get(..1)?, wire.get(1..)?);
        Snapshot::from_html(flag_of(flag)?, html, names)
    }

    fn from_html(in_shadow: bool, html: &str, names: &'static [&'static str]) -> Option<Snapshot> {
        let mut snapshot = Snapshot {
            items: Vec::new(),
            names,
            in_shadow,
            has_slot: false,
            has_shadow_root: false,
            elements: 0,
            missed: Cell::new(false),
        };
        let mut open: Vec<u32> = Vec::new();
        let mut rest = html;
        let mut nodes = 0u32;
        loop {
            if open.is_empty() && !snapshot.items.is_empty() {
                return rest.is_empty().then_some(snapshot);
            }
            let lt = byte_at(rest, b'<')?;
            if lt > 0 {
                let parent = *open.last()?;
                nodes += 1;
                let text = decode_entities(&rest[..lt]);
                snapshot.items[parent as usize]
                    .children
                    .push(Child::Text(text));
            }
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                rest = &after[after.find("-->")? + 3..];
            } else if let Some(after) = rest.strip_prefix("</") {
                let end = byte_at(after, b'>')?;
                let tag = &after[..end];
                let closed = open.pop()?;
                if !snapshot.items[closed as usize]
                    .tag
                    .as_deref()
                    .is_some_and(|open_tag| open_tag.eq_ignore_ascii_case(tag))
                {
                    return None;
                }
                rest = &after[end + 1..];
            } else if rest.starts_with("<?") {
                rest = &rest[byte_at(rest, b'>')? + 1..];
            } else {
                nodes += 1;
                if nodes > SNAPSHOT_NODES || open.len() as u32 > SNAPSHOT_DEPTH {
                    return None;
                }
                let (tag, attributes, after) = start_tag(&rest[1..], names)?;
                if RAW_OR_INERT.contains(&tag.as_str()) {
                    return None;
                }
                let void = VOID_ELEMENTS.contains(&tag.as_str());
                let parent = open.last().copied();
                let index = snapshot.push_element(tag, attributes, parent)?;
                match parent {
                    Some(parent) => snapshot.items[parent as usize]
                        .children
                        .push(Child::Node(index)),
                    None if index != 0 => return None,
                    None => {}
                }
                if !void {
                    open.push(index);
                }
                rest = after;
            }
        }
    }

    /// Parses a copy sent as `<flag><elements>:<matches>:<html>` (the live backend's
    /// `itemCopyOf`): [`Snapshot::parse_html`] of the flag and the serialisation, taken only
    /// where the page said it is `elements` elements (itself and those under it) and `matches`
    /// of those under it match `check`, as the copy finds too. Where the serialisation reads
    /// other than the page (a void element's children, which it leaves out; markup written raw
    /// in a comment; names in other namespaces or cases that match `check` differently), the
    /// counts differ and the copy is refused.
    pub fn parse_item(
        wire: &str,
        names: &'static [&'static str],
        check: &'static str,
    ) -> Option<Snapshot> {
        let flag = wire.get(..1)?;
        let (elements, rest) = wire.get(1..)?.split_once(':')?;
        let (matches, html) = rest.split_once(':')?;
        let elements: u32 = elements.parse().ok()?;
        let matches: usize = matches.parse().ok()?;
        let snapshot = Snapshot::from_html(flag_of(flag)?, html, names)?;
        let found = snapshot.query_tree(&snapshot.root(), check).len();
        (snapshot.elements == elements && found == matches && !snapshot.missed())
            .then_some(snapshot)
    }

    /// Whether a question asked of the copy so far had no answer in it: an attribute that was
    /// not copied, a selector it does not match ([`Snapshot::query_tree`]). What was read from
    /// it then is not what the page would say.
    pub fn missed(&self) -> bool {
        self.missed.get()
    }

    /// Whether the copy holds an open shadow root.
    pub fn has_shadow_root(&self) -> bool {
        self.has_shadow_root
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
        let mut attributes = Attributes::default();
        for place in 0..self.names.len() {
            if let Some(value) = reader.optional()? {
                attributes.set(place, value);
            }
        }
        let index = self.push_element(tag, attributes, parent)?;
        loop {
            match reader.byte()? {
                b'S' => {
                    self.has_shadow_root = true;
                    let shadow = self.push(Item {
                        tag: None,
                        attributes: Attributes::default(),
                        children: Vec::new(),
                        shadow: None,
                        parent: Some(index),
                        element: 0,
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

    /// Adds an element under `parent` (not yet among its children), counted among the copy's
    /// elements in the order added.
    fn push_element(
        &mut self,
        tag: String,
        attributes: Attributes,
        parent: Option<u32>,
    ) -> Option<u32> {
        self.has_slot |= tag == "slot";
        let element = self.elements;
        self.elements = self.elements.checked_add(1)?;
        self.push(Item {
            tag: Some(tag),
            attributes,
            children: Vec::new(),
            shadow: None,
            parent,
            element,
        })
    }

    fn push(&mut self, item: Item) -> Option<u32> {
        let index = u32::try_from(self.items.len()).ok()?;
        self.items.push(item);
        Some(index)
    }

    fn item(&self, node: u32) -> &Item {
        &self.items[node as usize]
    }

    /// The place of attribute `name` among those copied; noted as missed when it was not.
    fn attribute_index(&self, name: &str) -> Option<usize> {
        // Names are asked as constants, mostly the very ones copied: the same address first.
        let same =
            |known: &&str| std::ptr::eq(known.as_ptr(), name.as_ptr()) && known.len() == name.len();
        let index = (self.names.iter().position(same))
            .or_else(|| self.names.iter().position(|known| *known == name));
        if index.is_none() {
            self.missed.set(true);
        }
        index
    }

    /// `selector` as the copy matches it ([`Compound`]); `None` (noted as missed) for a
    /// selector of any other form, or one naming an attribute not copied.
    fn compounds(&self, selector: &str) -> Option<Vec<Compound>> {
        let parsed = selector
            .split(',')
            .map(|alternative| Compound::parse(alternative.trim(), self.names))
            .collect::<Option<Vec<_>>>();
        if parsed.is_none() {
            self.missed.set(true);
        }
        parsed
    }

    fn matches(&self, node: u32, compound: &Compound) -> bool {
        let item = self.item(node);
        if compound
            .tag
            .as_ref()
            .is_some_and(|tag| item.tag.as_ref() != Some(tag))
        {
            return false;
        }
        if !compound
            .attributes
            .iter()
            .all(|index| item.attributes.get(*index).is_some())
        {
            return false;
        }
        if compound.classes.is_empty() {
            return true;
        }
        let class = compound
            .class_index
            .and_then(|index| item.attributes.get(index))
            .unwrap_or_default();
        compound
            .classes
            .iter()
            .all(|wanted| class.split_ascii_whitespace().any(|class| class == wanted))
    }
}

/// One alternative of a selector a copy matches itself: a tag name (or `*`), classes (`.name`)
/// and attributes present (`[name]`), in any number, all on one element; nothing else (no
/// combinator, no value test, no pseudo-class).
struct Compound {
    /// Lower-case tag name.
    tag: Option<String>,
    classes: Vec<String>,
    /// The places of the attributes that must be present, among those copied.
    attributes: Vec<usize>,
    /// The place of `class` among the attributes copied, when a class is asked.
    class_index: Option<usize>,
}

impl Compound {
    fn parse(text: &str, names: &[&str]) -> Option<Compound> {
        let name_end = |rest: &str| {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len())
        };
        // `*`: any element.
        let (universal, text) = match text.strip_prefix('*') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let end = if universal { 0 } else { name_end(text) };
        let mut compound = Compound {
            tag: (end > 0).then(|| text[..end].to_ascii_lowercase()),
            classes: Vec::new(),
            attributes: Vec::new(),
            class_index: None,
        };
        let mut rest = &text[end..];
        while let Some(first) = rest.chars().next() {
            match first {
                '.' => {
                    let end = name_end(&rest[1..]) + 1;
                    if end == 1 {
                        return None;
                    }
                    compound.classes.push(rest[1..end].to_string());
                    rest = &rest[end..];
                }
                '[' => {
                    let end = name_end(&rest[1..]) + 1;
                    if end == 1 || rest.as_bytes().get(end) != Some(&b']') {
                        return None;
                    }
                    let name = &rest[1..end];
                    compound
                        .attributes
                        .push(names.iter().position(|known| *known == name)?);
                    rest = &rest[end + 1..];
                }
                _ => return None,
            }
        }
        if !compound.classes.is_empty() {
            compound.class_index = Some(names.iter().position(|known| *known == "class")?);
        }
        let empty = !universal
            && compound.tag.is_none()
            && compound.classes.is_empty()
            && compound.attributes.is_empty();
        (!empty).then_some(compound)
    }
}

impl Snapshot {
    /// The elements of `node`'s own tree under it (not in shadow roots), in document order.
    fn descendants(&self, node: u32, out: &mut Vec<u32>) {
        for child in &self.item(node).children {
            if let Child::Node(child) = child {
                out.push(*child);
                self.descendants(*child, out);
            }
        }
    }
}

/// The wire forms' first character: whether the copied element lies in a shadow tree.
fn flag_of(flag: &str) -> Option<bool> {
    match flag {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// HTML's void elements: they never have content, and are written with no end tag (also read
/// by the parsed backend's limits, `dom::limits`).
pub(crate) const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose serialisation does not give back what the page holds: text written raw (a
/// `<` in it would read as a tag), a template's inert contents written as children.
const RAW_OR_INERT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
    "template",
];

/// A start tag after its `<`: the lower-case tag name, the values of the attributes `names`
/// (in that order), and what follows its `>`.
fn start_tag<'h>(html: &'h str, names: &[&str]) -> Option<(String, Attributes, &'h str)> {
    let name_end = html
        .as_bytes()
        .iter()
        .position(|b| *b == b'>' || b.is_ascii_whitespace())?;
    let tag = html[..name_end].to_ascii_lowercase();
    if tag.is_empty() {
        return None;
    }
    let mut values = Attributes::default();
    let mut rest = &html[name_end..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(after) = rest.strip_prefix('>') {
            return Some((tag, values, after));
        }
        let equals = byte_at(rest, b'=')?;
        let name = &rest[..equals];
        let value = rest[equals + 1..].strip_prefix('"')?;
        let close = byte_at(value, b'"')?;
        // As `getAttribute` matches a name the page's parser lower-cased: exactly.
        if let Some(index) = names.iter().position(|known| *known == name) {
            if values.get(index).is_none() {
                values.set(index, decode_entities(&value[..close]));
            }
        }
        rest = &value[close + 1..];
    }
}

/// Where the ASCII byte `byte` first comes in `text` (a character boundary: no byte of a
/// multi-byte character is ASCII). A plain loop: `str::find` is several times slower in wasm.
fn byte_at(text: &str, byte: u8) -> Option<usize> {
    text.as_bytes().iter().position(|b| *b == byte)
}

/// Text or an attribute value as serialised, its escapes undone: `&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&nbsp;` (the only ones the serialisation writes); any other `&` is itself.
fn decode_entities(text: &str) -> String {
    if byte_at(text, b'&').is_none() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let escape = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&nbsp;", '\u{a0}'),
        ]
        .into_iter()
        .find(|(escape, _)| rest.starts_with(escape));
        match escape {
            Some((escape, c)) => {
                out.push(c);
                rest = &rest[escape.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
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
    /// The matches of a selector of compounds (a tag, classes, attributes present: see
    /// `Compound`); none (and noted as missed) for any other.
    fn query_tree(&self, root: &u32, selector: &'static str) -> Vec<u32> {
        let Some(alternatives) = self.compounds(selector) else {
            return Vec::new();
        };
        let mut under = Vec::new();
        self.descendants(*root, &mut under);
        under
            .into_iter()
            .filter(|node| {
                alternatives
                    .iter()
                    .any(|compound| self.matches(*node, compound))
            })
            .collect()
    }
    fn shadow_roots_in_tree(&self, root: &u32) -> Vec<u32> {
        let mut hosts = vec![*root];
        self.descendants(*root, &mut hosts);
        hosts
            .into_iter()
            .filter_map(|host| self.item(host).shadow)
            .collect()
    }
    fn shadow_root(&self, element: &u32) -> Option<u32> {
        self.item(*element).shadow
    }
    fn is_shadow_root(&self, node: &u32) -> bool {
        self.item(*node).tag.is_none()
    }
    /// The copied element's parent is outside the copy: `None`, noted as missed.
    fn parent(&self, node: &u32) -> Option<u32> {
        let parent = self.item(*node).parent;
        if parent.is_none() {
            self.missed.set(true);
        }
        parent
    }
    /// Within the copy: the copied element stands for the top of its tree (a text walk asks for
    /// its tree's host only to fill slots, and a copy whose slots may be filled from outside it
    /// is not read, [`Snapshot::is_faithful`]).
    fn tree_root(&self, node: &u32) -> u32 {
        let mut current = *node;
        while let Some(parent) = self.item(current).parent {
            if self.item(current).tag.is_none() {
                break;
            }
            current = parent;
        }
        current
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
        let siblings = &self.item(self.parent(node)?).children;
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
        let position = self.attribute_index(name)?;
        self.item(*node)
            .attributes
            .get(position)
            .map(str::to_string)
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

    const ROW: &[&str] = &["class", "href", "role"];

    #[test]
    fn a_copy_matches_compound_selectors_and_notes_what_it_cannot_answer() {
        // <tr class="row x"><td role="gridcell"><a href="/r">n</a><a>o</a></td><th>h</th></tr>
        let wire = "0E2:tr5:row x--E2:td--8:gridcellE1:a-2:/r-T1:n)E1:a---T1:o))E2:th---T1:h))";
        let copy = Snapshot::parse_with(wire, ROW).expect("well formed");
        let root = copy.root();
        let tags = |found: Vec<u32>| -> Vec<String> {
            found
                .iter()
                .filter_map(|node| copy.tag_name(node))
                .collect()
        };
        assert_eq!(tags(copy.query_tree(&root, "a[href], th")), ["a", "th"]);
        assert_eq!(tags(copy.query_tree(&root, "td[role]")), ["td"]);
        assert_eq!(tags(copy.query_tree(&root, "*")), ["td", "a", "a", "th"]);
        assert_eq!(
            copy.query_tree(&root, ".row").len(),
            0,
            "the root is not its own match"
        );
        let cell = copy.query_tree(&root, "td")[0];
        assert_eq!(copy.attribute(&cell, "role").as_deref(), Some("gridcell"));
        assert!(!copy.missed());
        // Its own parent is within the copy; the copied element's is not.
        assert_eq!(copy.parent(&cell), Some(root));
        assert!(!copy.missed());
        assert_eq!(copy.tree_root(&cell), root);
        assert!(!copy.missed(), "the top of the copy stands for its tree's");
        let asks: [&dyn Fn(&Snapshot); 6] = [
            &|c| assert_eq!(c.parent(&c.root()), None),
            &|c| drop(c.attribute(&c.root(), "title")),
            &|c| drop(c.query_tree(&c.root(), "tr > td")),
            &|c| drop(c.query_tree(&c.root(), "[class*=\"x\"]")),
            &|c| drop(c.query_tree(&c.root(), "a[title]")),
            &|c| assert_eq!(c.next_element_sibling(&c.root()), None),
        ];
        for ask in asks {
            let copy = Snapshot::parse_with(wire, ROW).expect("well formed");
            ask(&copy);
            assert!(copy.missed(), "a question the copy cannot answer is noted");
        }
    }

    #[test]
    fn a_class_selector_matches_whole_class_names() {
        let wire = "0E3:div---E4:span11:slds-tile x--T1:a)E4:span10:slds-tiles--T1:b))";
        let copy = Snapshot::parse_with(wire, ROW).expect("well formed");
        let found = copy.query_tree(&copy.root(), ".slds-tile, span.x.slds-tile");
        assert_eq!(found.len(), 1);
        assert!(!copy.missed());
    }

    #[test]
    fn a_serialised_element_is_read_as_the_page_holds_it() {
        let html = "0<tr class=\"a &amp; b\" data-x=\"1\"><td role=\"gridcell\">\
            x &lt;y&gt;&nbsp;&amp;z<!-- a <b> note --><br><img href=\"/q?a=1&amp;b=&quot;2&quot;\">\
            <svg><use href=\"#e\"></use></svg></td></tr>";
        let copy = Snapshot::parse_html(html, ROW).expect("well formed");
        assert_eq!(copy.attribute(&0, "class").as_deref(), Some("a & b"));
        assert!(copy.is_faithful());
        let cell = copy.query_tree(&0, "td[role]")[0];
        let children = copy.children(&cell);
        assert!(matches!(&children[0], Child::Text(t) if t == "x <y>\u{a0}&z"));
        // br and img take no end tag: img is br's sibling, not its child.
        let tags: Vec<String> = copy
            .query_tree(&0, "br, img, svg, use")
            .iter()
            .filter_map(|node| copy.tag_name(node))
            .collect();
        assert_eq!(tags, ["br", "img", "svg", "use"]);
        let img = copy.query_tree(&0, "img")[0];
        assert_eq!(copy.parent(&img), Some(cell));
        assert_eq!(
            copy.attribute(&img, "href").as_deref(),
            Some("/q?a=1&b=\"2\"")
        );
        // Elements counted in start-tag order: tr 0, td 1, br 2, img 3, svg 4, use 5.
        let copy = ItemCopy::new(copy, Box::new(Some));
        assert_eq!(copy.original(img), Some(3));
        assert!(!copy.snapshot.missed());
    }

    #[test]
    fn a_serialisation_that_would_not_read_as_the_page_is_refused() {
        for html in [
            "",
            "0",
            "2<tr></tr>",
            "0text<tr></tr>",
            "0<tr><td></tr>",
            "0<tr></tr><tr></tr>",
            "0<tr></tr>tail",
            "0<tr><td><template><b>x</b></template></td></tr>",
            "0<tr><td><script>if (a < b) {}</script></td></tr>",
            "0<tr><td><noscript><b>x</b></noscript></td></tr>",
            "0<tr class=unquoted></tr>",
            "0<tr><!-- open",
        ] {
            assert!(Snapshot::parse_html(html, ROW).is_none(), "{html:?}");
        }
        let deep = format!("0{}{}", "<b>".repeat(300), "</b>".repeat(300));
        assert!(Snapshot::parse_html(&deep, ROW).is_none(), "too deep");
        let shallow = format!("0{}{}", "<b>".repeat(200), "</b>".repeat(200));
        assert!(Snapshot::parse_html(&shallow, ROW).is_some());
    }

    #[test]
    fn a_copy_is_taken_only_where_it_counts_what_the_page_counts() {
        const NAMES: &[&str] = &["class", "href", "data-recordid"];
        const LINK: &str = "a[href], [data-recordid]";
        let item = |wire: &str| Snapshot::parse_item(wire, NAMES, LINK);
        let row = "<tr><td><a href=\"/x\">n</a></td></tr>";
        assert!(item(&format!("03:1:{row}")).is_some());
        // The page counted otherwise: refused.
        assert!(item(&format!("04:1:{row}")).is_none());
        assert!(
            item(&format!("03:0:{row}")).is_none(),
            "a link the page does not match"
        );
        // A void element's children are not serialised: an element short.
        assert!(item("04:0:<tr><td><img></td></tr>").is_none());
        // Markup written raw in a comment reads as an element the page does not hold.
        let injected = "<tr><td><!--x --> <a href=\"/p\">P</a> <!----></td></tr>";
        assert!(item(&format!("02:0:{injected}")).is_none());
        // A check the copy cannot answer, or a malformed head: refused.
        assert!(Snapshot::parse_item(&format!("03:1:{row}"), &["class"], LINK).is_none());
        for wire in ["", "0", "03", "03:1", "0x:1:<tr></tr>", "01:-1:<tr></tr>"] {
            assert!(item(wire).is_none(), "{wire:?}");
        }
    }

    #[test]
    fn an_item_copy_leads_back_to_the_pages_elements() {
        // A shadow root in the copy is no element: the places count elements alone.
        let wire = "0E1:x---SE1:y---))E1:z---))";
        let copy = ItemCopy::new(
            Snapshot::parse_with(wire, ROW).expect("well formed"),
            Box::new(|place| Some(place * 10)),
        );
        assert!(copy.snapshot.has_shadow_root());
        let z = copy
            .snapshot
            .children(&0)
            .into_iter()
            .find_map(|child| match child {
                Child::Node(node) => Some(node),
                Child::Text(_) => None,
            })
            .expect("z");
        assert_eq!(copy.snapshot.tag_name(&z).as_deref(), Some("z"));
        assert_eq!(copy.original(z), Some(20), "x is 0, y is 1, z is 2");
        assert_eq!(copy.original(1), None, "a shadow root leads nowhere");
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
