//! The path of the JSON value at a place in a document (`nodes[2].queue.max_length`),
//! so a type error that `serde_json` reports by line and column can name its field.
//!
//! Scenarios are deserialised straight from their text (one deserialiser for every
//! typed read); when a field does not fit, `serde_json` says where it stopped reading
//! (the last byte it consumed, or the byte it peeked at). The innermost value whose text
//! holds that byte is the field at fault: a value of the wrong type, the object that
//! misses a field or carries an unknown one, the list item that does not fit.

/// One step of a path: an object key or a list index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The path of the innermost value holding the byte at `line`/`column` (both 1-based, as
/// `serde_json` counts them; columns in bytes) in `text`: `nodes[0].kind`, or `.` for the
/// whole document or a place outside it.
///
/// A closing bracket right after a last member that is itself an object or a list names
/// that member: an error raised after a value was read whole (an internally tagged
/// enum, a conversion) reaches `serde_json` only when the enclosing container has been
/// read to its end. `missing` is the field a "missing field" error names: the closing
/// brace of an object that lacks it is that object's own.
///
/// `whole` says the error can only have come from a value read whole (a missing,
/// unknown or duplicate field, an unknown variant), never from peeking at the next one:
/// in a list, `serde_json` then stands on the comma (or the blanks) after the item read
/// whole, which names that item and not the next. A type error there is the next item's
/// (seen when peeking at it), unless the next item is an object like the one before.
pub fn path_at(
    text: &str,
    line: usize,
    column: usize,
    missing: Option<&str>,
    whole: bool,
) -> String {
    let Some(target) = byte_at(text, line, column) else {
        return ".".into();
    };
    let mut scan = Scan {
        bytes: text.as_bytes(),
        text,
        at: 0,
        target,
        missing,
        whole: whole || missing.is_some(),
    };
    let mut path = Vec::new();
    scan.skip_ws();
    scan.value(&mut path);
    if path.is_empty() {
        return ".".into();
    }
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// The byte offset of `line`/`column`; `None` when the text has no such place.
fn byte_at(text: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let at = start + column - 1;
    (at < text.len()).then_some(at)
}

/// A walk over well-formed JSON that stops inside the innermost value holding `target`.
struct Scan<'a, 'm> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    target: usize,
    missing: Option<&'m str>,
    whole: bool,
}

impl<'a> Scan<'a, '_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// Reads one value. Returns `true` when the target lies inside it, with `path`
    /// extended by the steps down to the innermost value holding it.
    fn value(&mut self, path: &mut Vec<Step<'a>>) -> bool {
        let start = self.at;
        match self.peek() {
            Some(b'{') => self.container(path, true),
            Some(b'[') => self.container(path, false),
            Some(b'"') => {
                self.string();
                (start..self.at).contains(&self.target)
            }
            Some(_) => {
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
                {
                    self.at += 1;
                }
                (start..self.at).contains(&self.target)
            }
            None => false,
        }
    }

    /// Reads an object or a list whose opening bracket is at the cursor.
    ///
    /// Where `serde_json` stops decides the step: a member's key, or the bytes between
    /// it and its value (where a value of the wrong kind is peeked at), belong to that
    /// member; in a list, the opening bracket or the comma before an item, and the
    /// blanks after them, belong to that item; a closing bracket (a missing field, a list
    /// of the wrong length) and the blanks around the members belong to the container.
    fn container(&mut self, path: &mut Vec<Step<'a>>, object: bool) -> bool {
        let start = self.at;
        let close = if object { b'}' } else { b']' };
        self.at += 1;
        let mut index = 0;
        // Where the bytes leading to the next list item began.
        let mut lead = Some(start);
        // The last member read, where its value ended, its opening bracket if a container.
        let mut last: Option<(Step<'a>, usize, Option<u8>)> = None;
        let mut keys = Vec::new();
        loop {
            let blanks = self.at;
            self.skip_ws();
            match self.peek() {
                None => return (start..self.at).contains(&self.target),
                Some(c) if c == close => {
                    let own = object && self.missing.is_some_and(|k| !keys.contains(&k));
                    if self.target == self.at && !own {
                        if let Some((step, _, _)) =
                            last.filter(|(_, end, open)| open.is_some() && *end == blanks)
                        {
                            path.push(step);
                            return true;
                        }
                    }
                    self.at += 1;
                    return (start..self.at).contains(&self.target);
                }
                Some(b',') => {
                    if (blanks..self.at).contains(&self.target) {
                        return true;
                    }
                    lead = Some(self.at);
                    self.at += 1;
                    continue;
                }
                Some(_) => {}
            }
            let member = if object {
                self.at
            } else {
                lead.unwrap_or(self.at)
            };
            if self.target < member {
                return self.target >= start;
            }
            let step = if object {
                let key = self.string();
                self.skip_ws();
                if self.peek() == Some(b':') {
                    self.at += 1;
                }
                self.skip_ws();
                keys.push(key);
                Step::Key(key)
            } else {
                // On the comma before this item (or the blanks after it), after an
                // object read whole: that object is at fault.
                if self.target < self.at && lead.is_some_and(|l| l > start) {
                    if let Some((step, _, Some(open))) = last {
                        if self.whole || (open == b'{' && self.peek() == Some(b'{')) {
                            path.push(step);
                            return true;
                        }
                    }
                }
                index += 1;
                Step::Index(index - 1)
            };
            path.push(step);
            let container = self.peek().filter(|c| matches!(c, b'{' | b'['));
            if self.target < self.at || self.value(path) {
                return true;
            }
            last = path.pop().map(|step| (step, self.at, container));
            lead = None;
        }
    }

    /// Reads a string whose opening quote is at the cursor; returns its raw contents.
    fn string(&mut self) -> &'a str {
        self.at += 1;
        let start = self.at;
        while let Some(c) = self.peek() {
            match c {
                b'\\' => self.at += 2,
                b'"' => break,
                _ => self.at += 1,
            }
        }
        let end = self.at.min(self.bytes.len());
        self.at = (self.at + 1).min(self.bytes.len());
        self.text.get(start..end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::path_at;

    /// The path at the first occurrence of `needle` (its first byte).
    fn at(text: &str, needle: &str) -> String {
        let i = text.find(needle).unwrap();
        let line = text[..i].matches('\n').count() + 1;
        let column = i - text[..i].rfind('\n').map_or(0, |n| n + 1) + 1;
        path_at(text, line, column, Some("zz"), false)
    }

    #[test]
    fn names_the_innermost_value() {
        let t =
            r#"{"nodes": [{"id": "a"}, {"id": "b", "queue": {"max_length": "three"}}], "x": 1}"#;
        assert_eq!(at(t, "\"three\""), "nodes[1].queue.max_length");
        assert_eq!(at(t, "three\"}"), "nodes[1].queue.max_length");
        assert_eq!(at(t, "\"b\""), "nodes[1].id");
        assert_eq!(at(t, "}}]"), "nodes[1].queue");
        assert_eq!(at(t, "\"queue\""), "nodes[1].queue");
        assert_eq!(at(t, ": \"three"), "nodes[1].queue.max_length");
        assert_eq!(at(t, "[{"), "nodes[0]");
        // The comma after an object and the closing bracket after it name that object
        // (read whole, it is the one at fault); after a number, the next item.
        assert_eq!(at(t, ", {\"id\": \"b"), "nodes[0]");
        assert_eq!(at(t, "]"), "nodes[1]");
        let n = r#"{"nodes": [1, {"id": "b"}, [2], {"id": "c"}]}"#;
        assert_eq!(at(n, ", {\"id\": \"b"), "nodes[1]");
        assert_eq!(
            path_at(n, 1, n.find(", {\"id\": \"c").unwrap() + 1, None, false),
            "nodes[3]"
        );
        assert_eq!(
            path_at(n, 1, n.find("]}").unwrap() + 1, None, false),
            "nodes[3]"
        );
        assert_eq!(at(t, "1}"), "x");
        assert_eq!(at(t, "{\"nodes"), ".");
    }

    #[test]
    fn counts_lines_and_escapes() {
        let t = "{\n  \"a\": [1,\n    \"q\\\"x\", true]\n}";
        assert_eq!(at(t, "true"), "a[2]");
        assert_eq!(at(t, "x\""), "a[1]");
        assert_eq!(path_at(t, 9, 1, None, false), ".");
        assert_eq!(path_at(t, 0, 0, None, false), ".");
        assert_eq!(path_at("", 1, 1, None, false), ".");
        assert_eq!(path_at("[1,", 1, 3, None, false), ".");
        // Columns count bytes, as serde_json's do.
        let t = r#"{"名前": "ä", "n": [true]}"#;
        assert_eq!(at(t, "true"), "n[0]");
        assert_eq!(at(t, "\"ä\""), "名前");
    }

    #[test]
    fn every_place_of_a_document_has_a_path() {
        let t = "{\n \"nodes\": [{\"id\": \"a\\\"b\", \"名\": [1, {\"x\": null}]}, [], {}],\n \"e\": -1.5e3 }";
        assert!(serde_json::from_str::<serde_json::Value>(t).is_ok(), "{t}");
        for (line, text) in t.split('\n').enumerate() {
            for column in 0..=text.len() + 2 {
                for missing in [None, Some("id")] {
                    let path = path_at(t, line + 1, column, missing, false);
                    assert!(
                        path == "." || path.starts_with("nodes") || path == "e",
                        "{path}"
                    );
                }
            }
        }
        assert_eq!(at(t, "null"), "nodes[0].名[1].x");
        assert_eq!(at(t, "-1.5e3"), "e");
    }

    #[test]
    fn a_closing_bracket_can_name_the_last_member() {
        let t = r#"{"s": {"a": 1, "p": {"dist": "fixed", "ms": "x"} }}"#;
        let brace = t.rfind(" }").unwrap() + 2;
        assert_eq!(path_at(t, 1, brace, None, false), "s.p");
        assert_eq!(
            path_at(t, 1, brace, Some("b"), false),
            "s",
            "s lacks `b`: its own"
        );
        assert_eq!(
            path_at(t, 1, brace, Some("a"), false),
            "s.p",
            "s has `a`: p lacks it"
        );
        let ms = t.find("\"x\"").unwrap() + 3;
        assert_eq!(path_at(t, 1, ms, None, false), "s.p.ms");
        let t = r#"{"s": {"a": 1, "p": 2 , "q": 3}}"#;
        assert_eq!(
            path_at(t, 1, t.rfind("}}").unwrap() + 1, None, false),
            "s",
            "a number is no container"
        );
        let t = r#"{"steps": [{"op": "x"}, {"op": "y"}]}"#;
        assert_eq!(
            path_at(t, 1, t.find("]").unwrap() + 1, None, false),
            "steps[1]"
        );
        assert_eq!(
            path_at(t, 1, t.find("}, ").unwrap() + 1, None, false),
            "steps[0]"
        );
        // After a step read whole, serde_json stands on the comma or the blanks after
        // it: a missing or unknown field there is the step's, not the next one's.
        let comma = t.find("}, ").unwrap() + 2;
        assert_eq!(path_at(t, 1, comma, Some("at_ms"), false), "steps[0]");
        assert_eq!(path_at(t, 1, comma + 1, None, true), "steps[0]");
        assert_eq!(
            path_at(t, 1, comma, None, false),
            "steps[0]",
            "an object follows"
        );
        let closing = t.find("]").unwrap() + 1;
        assert_eq!(path_at(t, 1, closing, Some("at_ms"), false), "steps[1]");
        // A type error on the comma is the next item's, seen when peeking at it.
        let t = r#"{"steps": [{"op": "x"}, 5]}"#;
        let comma = t.find(", 5").unwrap() + 1;
        assert_eq!(path_at(t, 1, comma, None, false), "steps[1]");
        assert_eq!(path_at(t, 1, comma, None, true), "steps[0]");
    }
}
