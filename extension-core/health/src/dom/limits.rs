//! What the parsed backend refuses before parsing: pages whose nesting would make html5ever
//! slow (issue 15, item 11).
//!
//! html5ever's tree builder walks its stack of open elements for most tags (is a `<p>` in
//! button scope? where does `</b>` start?), so its cost is the number of tags times the depth
//! of that stack: 16,000 nested `<div>`s took 36 s, and misnested formatting tags, whose
//! clones html5ever reopens after every block, grow the stack the same way. A browser's parser
//! stops nesting at 512 levels; html5ever never stops.
//!
//! [`check`] runs a cheap, linear model of that stack over the text before it is parsed: start
//! tags open, end tags close to their match, the common implied ends (`<li>`, `<p>`, table
//! cells, options) close, and formatting elements closed by an enclosing end tag stay open, as
//! html5ever reopens them. The model errs towards counting too deep, never far too shallow;
//! every saved page of the fixture corpus stays far inside both limits.

use thiserror::Error;

/// The deepest nesting the model accepts (a browser's parser stops nesting at 512).
pub const MAX_NESTING: usize = 512;

/// The most nesting work accepted: the sum, over every tag, of the model's depth when the tag
/// is read. It is what html5ever's scope checks cost: 100 million is about a second of its
/// time; a 5 MB page made of the large fixture needs 4 million.
pub const MAX_NESTING_WORK: u64 = 100_000_000;

/// Why a page is refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LimitError {
    /// The model's stack of open elements grew past [`MAX_NESTING`].
    #[error("elements nest more than {MAX_NESTING} levels deep (at byte {offset}); no real page does, and html5ever would take minutes")]
    TooDeep {
        /// Byte offset of the tag that went too deep.
        offset: usize,
    },
    /// The nesting work passed [`MAX_NESTING_WORK`].
    #[error("the page has too many deeply nested tags (more than {MAX_NESTING_WORK} tag-levels, at byte {offset}); html5ever would take minutes")]
    TooMuchWork {
        /// Byte offset of the tag that passed the budget.
        offset: usize,
    },
}

/// What the model measured on an accepted page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nesting {
    /// The deepest the model's stack went.
    pub max_depth: usize,
    /// The sum of the stack's depth over every tag.
    pub work: u64,
}

/// Elements that never have content.
const VOID: &[&str] = super::snapshot::VOID_ELEMENTS;
/// Elements whose content is text up to their own end tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];
/// Formatting elements: html5ever reopens them after an enclosing element closes.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];
/// Elements that end the formatting reopened inside them (markers).
const MARKERS: &[&str] = &[
    "applet", "caption", "marquee", "object", "td", "th", "template",
];
/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "dd",
    "dt",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
];

/// The model's stack of open elements.
struct Model<'a> {
    stack: Vec<&'a str>,
    /// Open `<svg>` and `<math>`, where `/>` closes an element.
    foreign: usize,
    nesting: Nesting,
}

impl<'a> Model<'a> {
    fn tag(&mut self, offset: usize) -> Result<(), LimitError> {
        let depth = self.stack.len();
        self.nesting.max_depth = self.nesting.max_depth.max(depth);
        self.nesting.work += depth as u64;
        if depth > MAX_NESTING {
            return Err(LimitError::TooDeep { offset });
        }
        if self.nesting.work > MAX_NESTING_WORK {
            return Err(LimitError::TooMuchWork { offset });
        }
        Ok(())
    }

    fn start(&mut self, name: &'a str, self_closing: bool) {
        if matches!(name, "html" | "head" | "body") || VOID.contains(&name) {
            return;
        }
        if self_closing && self.foreign > 0 {
            return;
        }
        // The implied ends of real pages: a new item, cell, row or option ends the last one.
        let closes: &[&str] = match name {
            "li" => &["li", "p"],
            "dt" | "dd" => &["dt", "dd", "p"],
            "option" | "optgroup" => &["option"],
            "td" | "th" => &["td", "th"],
            "tr" => &["td", "th", "tr"],
            "tbody" | "thead" | "tfoot" => &["td", "th", "tr", "tbody", "thead", "tfoot"],
            _ if CLOSES_P.contains(&name) => &["p"],
            _ => &[],
        };
        while self.stack.last().is_some_and(|top| closes.contains(top)) {
            self.pop();
        }
        if matches!(name, "svg" | "math") {
            self.foreign += 1;
        }
        self.stack.push(name);
    }

    fn end(&mut self, name: &'a str) {
        if matches!(name, "html" | "head" | "body") {
            return;
        }
        let Some(position) = self.stack.iter().rposition(|open| *open == name) else {
            return;
        };
        if FORMATTING.contains(&name) {
            // Closing a formatting element leaves what opened inside it open.
            self.stack.remove(position);
            return;
        }
        let mut reopened = Vec::new();
        while self.stack.len() > position {
            let open = self.pop();
            if FORMATTING.contains(&open) {
                reopened.push(open);
            }
            if MARKERS.contains(&open) {
                reopened.clear();
            }
        }
        self.stack.extend(reopened.into_iter().rev());
    }

    fn pop(&mut self) -> &'a str {
        let open = self.stack.pop().unwrap_or_default();
        if matches!(open, "svg" | "math") {
            self.foreign = self.foreign.saturating_sub(1);
        }
        open
    }
}

/// Runs the nesting model over `html`; refuses it past [`MAX_NESTING`] or
/// [`MAX_NESTING_WORK`]. Linear in the length of `html`.
pub fn check(html: &str) -> Result<Nesting, LimitError> {
    let bytes = html.as_bytes();
    let mut model = Model {
        stack: Vec::new(),
        foreign: 0,
        nesting: Nesting::default(),
    };
    let mut index = 0;
    while let Some(found) = find(bytes, index, b"<") {
        let offset = found;
        let rest = &bytes[offset + 1..];
        if rest.starts_with(b"!--") {
            index = find(bytes, offset + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        if rest.starts_with(b"!") || rest.starts_with(b"?") {
            index = find(bytes, offset + 1, b">").map_or(bytes.len(), |end| end + 1);
            continue;
        }
        let is_end = rest.starts_with(b"/");
        let name_start = offset + 1 + usize::from(is_end);
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .map_or(bytes.len(), |length| name_start + length);
        if !bytes
            .get(name_start)
            .is_some_and(|first| first.is_ascii_alphabetic())
        {
            index = offset + 1;
            continue;
        }
        let Some(close) = tag_end(bytes, name_end) else {
            break;
        };
        index = close + 1;
        // Tag names are ASCII; a name with anything else matches no list and no end tag.
        let name = &html[name_start..name_end];
        let lower;
        let name: &str = if name.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = name.to_ascii_lowercase();
            intern(&lower).unwrap_or(name)
        } else {
            name
        };
        model.tag(offset)?;
        if is_end {
            model.end(name);
            continue;
        }
        model.start(name, close > 0 && bytes[close - 1] == b'/');
        if RAW_TEXT.contains(&name) {
            index = raw_text_end(bytes, index, name);
        }
    }
    Ok(model.nesting)
}

/// Tag names met in upper case map to the lists' lower-case spelling (other names keep theirs:
/// they only need to match their own end tag).
fn intern(lower: &str) -> Option<&'static str> {
    [VOID, RAW_TEXT, FORMATTING, MARKERS, CLOSES_P]
        .iter()
        .flat_map(|list| list.iter())
        .chain(&[
            "html", "head", "body", "svg", "math", "option", "optgroup", "tr",
        ])
        .chain(&["td", "th", "tbody", "thead", "tfoot"])
        .find(|name| **name == lower)
        .copied()
}

/// The `>` that ends a tag whose name ends at `from`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut index = from;
    while index < bytes.len() {
        match bytes[index] {
            b'>' => return Some(index),
            b'=' => {
                index += 1;
                while bytes.get(index).is_some_and(u8::is_ascii_whitespace) {
                    index += 1;
                }
                if let Some(quote @ (b'"' | b'\'')) = bytes.get(index).copied() {
                    index = find(bytes, index + 1, &[quote])?;
                }
            }
            _ => {}
        }
        index += 1;
    }
    None
}

/// Where the end tag of a raw-text element starts (`</script`, any case), or the end.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut index = from;
    while let Some(found) = find(bytes, index, b"</") {
        let after = found + 2;
        if bytes
            .get(after..after + name.len())
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(name.as_bytes()))
        {
            return found;
        }
        index = after;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|position| from + position)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_markup_nests_as_written() {
        let nesting = check(
            "<!DOCTYPE html><html><head><script>if (a < b) { '<div>' }</script></head><body>\
             <div class=\"a>b\"><ul><li>one<li>two</ul><p>text<p>more<br><img src=x>\
             <table><tr><td>1<td>2<tr><td>3</table><svg><path d=\"\"/></svg></div></body></html>",
        )
        .unwrap();
        assert_eq!(nesting.max_depth, 4, "div > table > tr > td");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let page = "<div>".repeat(MAX_NESTING + 10);
        assert!(matches!(check(&page), Err(LimitError::TooDeep { .. })));
        let page = "<div/>".repeat(MAX_NESTING + 10);
        assert!(
            matches!(check(&page), Err(LimitError::TooDeep { .. })),
            "`/>` does not close an HTML element"
        );
        assert!(check(&"<div></div>".repeat(10_000)).is_ok());
    }

    #[test]
    fn formatting_reopened_by_the_parser_counts() {
        for pattern in ["<p><b></p>x", "<b><div></b>", "<b>x"] {
            let page = pattern.repeat(MAX_NESTING + 10);
            assert!(check(&page).is_err(), "{pattern}");
        }
        assert!(check(&"<b><i></i></b>x".repeat(10_000)).is_ok());
        assert!(
            check(&"<td><b>x</td>".repeat(10_000)).is_ok(),
            "a cell ends its formatting"
        );
    }

    #[test]
    fn nesting_work_is_bounded() {
        let page = format!(
            "{}{}",
            "<div>".repeat(MAX_NESTING - 1),
            "<i></i>".repeat(1 + MAX_NESTING_WORK as usize / (MAX_NESTING - 1) / 2)
        );
        assert!(matches!(check(&page), Err(LimitError::TooMuchWork { .. })));
    }
}
