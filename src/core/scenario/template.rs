//! Text templates for routing keys, payloads, headers, message ids and priorities.
//!
//! Placeholders: `{n}` (1-based message counter of the producer), `{producer}` (its
//! name), `{key}` (the processed message's routing key, for forward edges),
//! `{cycle:a|b|c}` (the n-th choice, in turn), `{random:a|b|c}` (a seeded random
//! choice). `{{` and `}}` are literal braces.

use crate::core::kernel::rng::SimRng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::rc::Rc;

/// A template as written in a scenario.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template(pub String);

impl Template {
    /// Wraps template text.
    pub fn new(text: impl Into<String>) -> Template {
        Template(text.into())
    }

    /// The template text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the template, reporting the first problem.
    pub fn compile(&self) -> Result<CompiledTemplate, String> {
        CompiledTemplate::parse(&self.0)
    }
}

impl Serialize for Template {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Number(serde_json::Number),
        }
        match Raw::deserialize(deserializer) {
            Ok(Raw::Text(t)) => Ok(Template(t)),
            Ok(Raw::Number(n)) => Ok(Template(n.to_string())),
            Err(_) => Err(serde::de::Error::custom(
                "expected a text template or a number",
            )),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Literal(String),
    Counter,
    Producer,
    Key,
    Cycle(Vec<String>),
    Random(Vec<String>),
}

/// Values the placeholders draw from.
pub struct TemplateContext<'a> {
    /// 1-based counter.
    pub n: u64,
    /// Producer (or consumer) name.
    pub producer: &'a str,
    /// Routing key of the message being processed (forward edges).
    pub key: &'a str,
}

/// A parsed template, ready to render quickly.
#[derive(Clone, Debug)]
pub struct CompiledTemplate {
    parts: Vec<Part>,
    constant: Option<Rc<str>>,
    /// Every text the template can render, in [`CompiledTemplate::outcomes`]' order,
    /// when they are a few and do not depend on the message: rendering then picks one
    /// and allocates nothing. Empty otherwise.
    table: Vec<Rc<str>>,
}

/// The most texts a template's [`CompiledTemplate::table`] holds.
const TABLE_LIMIT: usize = 64;

impl CompiledTemplate {
    fn parse(text: &str) -> Result<CompiledTemplate, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &text[at + 1..];
                    let end = rest
                        .find('}')
                        .ok_or_else(|| format!("unclosed `{{` at position {at}"))?;
                    let inner = &rest[..end];
                    for _ in 0..inner.chars().count() + 1 {
                        chars.next();
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(parse_placeholder(inner)?);
                }
                '}' => return Err(format!("unmatched `}}` at position {at} (write `}}}}`)")),
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        let constant = match parts.as_slice() {
            [] => Some(Rc::from("")),
            [Part::Literal(l)] => Some(Rc::from(l.as_str())),
            _ => None,
        };
        let mut compiled = CompiledTemplate {
            parts,
            constant,
            table: Vec::new(),
        };
        if compiled.constant.is_none() {
            if let Some(texts) = compiled.outcomes(TABLE_LIMIT) {
                compiled.table = texts.iter().map(|t| Rc::from(t.as_str())).collect();
            }
        }
        Ok(compiled)
    }

    /// Every text the template can render, when that does not depend on the message
    /// (only literals, `{cycle:…}` and `{random:…}`) and there are at most `limit` of
    /// them; `None` otherwise.
    pub fn outcomes(&self, limit: usize) -> Option<Vec<String>> {
        let mut out = vec![String::new()];
        for part in &self.parts {
            let choices: &[String] = match part {
                Part::Literal(l) => std::slice::from_ref(l),
                Part::Cycle(c) | Part::Random(c) => c,
                Part::Counter | Part::Producer | Part::Key => return None,
            };
            if out.len() * choices.len() > limit {
                return None;
            }
            out = out
                .iter()
                .flat_map(|head| choices.iter().map(move |c| format!("{head}{c}")))
                .collect();
        }
        Some(out)
    }

    /// The rendered text when the template has no placeholders.
    pub fn constant(&self) -> Option<&Rc<str>> {
        self.constant.as_ref()
    }

    /// Whether the template draws from the random generator.
    pub fn uses_random(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Random(_)))
    }

    /// Renders the template. Constant templates share one allocation; any other
    /// rendering allocates only the text it returns (it is written in a reused buffer).
    pub fn render(&self, ctx: &TemplateContext<'_>, rng: &mut SimRng) -> Rc<str> {
        if let Some(c) = &self.constant {
            return c.clone();
        }
        if !self.table.is_empty() {
            return self.table[self.table_index(ctx, rng)].clone();
        }
        RENDER_BUFFER.with(|buffer| {
            let mut out = buffer.borrow_mut();
            out.clear();
            self.render_into(&mut out, ctx, rng);
            Rc::from(out.as_str())
        })
    }

    /// The index in [`CompiledTemplate::table`] of what [`CompiledTemplate::render_into`]
    /// would write, drawing from `rng` exactly as it does: each part multiplies the
    /// choices so far by its own, as `outcomes` lists them.
    fn table_index(&self, ctx: &TemplateContext<'_>, rng: &mut SimRng) -> usize {
        let mut index = 0usize;
        for part in &self.parts {
            match part {
                Part::Literal(_) => {}
                Part::Cycle(choices) => {
                    let i = (ctx.n.saturating_sub(1) % choices.len() as u64) as usize;
                    index = index * choices.len() + i;
                }
                Part::Random(choices) => {
                    let i = rng.below(choices.len() as u64) as usize;
                    index = index * choices.len() + i;
                }
                Part::Counter | Part::Producer | Part::Key => {
                    unreachable!("a template with a table depends on no message")
                }
            }
        }
        index
    }

    fn render_into(&self, out: &mut String, ctx: &TemplateContext<'_>, rng: &mut SimRng) {
        use std::fmt::Write;
        for part in &self.parts {
            match part {
                Part::Literal(l) => out.push_str(l),
                Part::Counter => {
                    let _ = write!(out, "{}", ctx.n);
                }
                Part::Producer => out.push_str(ctx.producer),
                Part::Key => out.push_str(ctx.key),
                Part::Cycle(choices) => {
                    let i = (ctx.n.saturating_sub(1) % choices.len() as u64) as usize;
                    out.push_str(&choices[i]);
                }
                Part::Random(choices) => {
                    let i = rng.below(choices.len() as u64) as usize;
                    out.push_str(&choices[i]);
                }
            }
        }
    }
}

thread_local! {
    /// Where [`CompiledTemplate::render`] writes, kept between messages.
    static RENDER_BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

fn parse_placeholder(inner: &str) -> Result<Part, String> {
    let (name, arg) = match inner.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a)),
        None => (inner.trim(), None),
    };
    let choices = |arg: Option<&str>| -> Result<Vec<String>, String> {
        let list: Vec<String> = arg.unwrap_or("").split('|').map(str::to_string).collect();
        if arg.is_none() || list.is_empty() {
            Err(format!("`{{{name}:...}}` needs choices separated by `|`"))
        } else {
            Ok(list)
        }
    };
    match name {
        "n" if arg.is_none() => Ok(Part::Counter),
        "producer" if arg.is_none() => Ok(Part::Producer),
        "key" if arg.is_none() => Ok(Part::Key),
        "cycle" => Ok(Part::Cycle(choices(arg)?)),
        "random" => Ok(Part::Random(choices(arg)?)),
        _ => Err(format!(
            "unknown placeholder `{{{inner}}}` (known: {{n}}, {{producer}}, {{key}}, {{cycle:a|b}}, {{random:a|b}})"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(t: &str, n: u64) -> String {
        let ctx = TemplateContext {
            n,
            producer: "web",
            key: "in.key",
        };
        Template::new(t)
            .compile()
            .unwrap()
            .render(&ctx, &mut SimRng::new(1))
            .to_string()
    }

    #[test]
    fn placeholders_render() {
        assert_eq!(render("order.{n}", 7), "order.7");
        assert_eq!(render("{producer}-{n}", 2), "web-2");
        assert_eq!(render("fwd.{key}", 1), "fwd.in.key");
        assert_eq!(render("{cycle:a|b|c}", 1), "a");
        assert_eq!(render("{cycle:a|b|c}", 5), "b");
        assert_eq!(render("{{literal}}", 1), "{literal}");
        assert_eq!(render("", 1), "");
        assert!(["x", "y"].contains(&render("{random:x|y}", 1).as_str()));
    }

    /// A template with few outcomes renders from its table; the texts, and the random
    /// draws it makes, are those of writing it out part by part.
    #[test]
    fn table_renders_as_written() {
        for text in [
            "{cycle:a|b|c}",
            "x.{random:p|q}.{cycle:1|2|3|4}.{random:r|s|t}-end",
            "{random:a|b}{random:c|d|e}",
        ] {
            let compiled = Template::new(text).compile().unwrap();
            assert!(!compiled.table.is_empty(), "{text}");
            let (mut by_table, mut written) = (SimRng::new(9), SimRng::new(9));
            for n in 1..200 {
                let ctx = TemplateContext {
                    n,
                    producer: "web",
                    key: "k",
                };
                let mut out = String::new();
                compiled.render_into(&mut out, &ctx, &mut written);
                assert_eq!(&*compiled.render(&ctx, &mut by_table), out, "{text} #{n}");
            }
            assert_eq!(by_table.unit().to_bits(), written.unit().to_bits());
        }
        assert!(Template::new("{n}.{cycle:a|b}")
            .compile()
            .unwrap()
            .table
            .is_empty());
        let many = "{random:a|b|c|d|e|f|g|h}{random:a|b|c|d|e|f|g|h|i}";
        assert!(Template::new(many).compile().unwrap().table.is_empty());
    }

    #[test]
    fn bad_templates_say_why() {
        assert!(Template::new("{nope}")
            .compile()
            .unwrap_err()
            .contains("unknown placeholder"));
        assert!(Template::new("a{n")
            .compile()
            .unwrap_err()
            .contains("unclosed"));
        assert!(Template::new("a}")
            .compile()
            .unwrap_err()
            .contains("unmatched"));
        assert!(Template::new("{cycle}").compile().is_err());
    }

    #[test]
    fn numbers_deserialize_as_templates() {
        let t: Template = serde_json::from_str("5").unwrap();
        assert_eq!(t.as_str(), "5");
        let t: Template = serde_json::from_str("\"{n}\"").unwrap();
        assert_eq!(t.as_str(), "{n}");
        assert!(serde_json::from_str::<Template>("[1]").is_err());
    }
}
