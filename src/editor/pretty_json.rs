//! Indents compact JSON text the way `serde_json::to_string_pretty` writes it (two
//! spaces, one member or element a line, `{}` and `[]` when empty), so the app writes
//! every file from one compact serialiser: each `Serialize` then exists once in the
//! download, not once per formatter.

/// `compact` (JSON without whitespace between tokens, as `serde_json::to_string`
/// writes it) indented.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.push(close);
                    chars.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pretty;

    #[test]
    fn matches_serde_json_on_tricky_values() {
        let v = serde_json::json!({
            "a": [], "b": {}, "c": [1, 2.5, -3e-7, null, true, [[]], [{}]],
            "text": "a \"quoted\" {brace} [bracket], colon: and \\\\ backslash\n\u{1}é",
            "nested": {"x": {"y": [{"z": "w"}]}}, "": ""
        });
        let compact = serde_json::to_string(&v).unwrap();
        assert_eq!(pretty(&compact), serde_json::to_string_pretty(&v).unwrap());
    }
}
