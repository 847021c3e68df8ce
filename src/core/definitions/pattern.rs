//! The regular expressions of RabbitMQ policy patterns, in a small dependency-free
//! subset: literals and escapes, `.`, classes (`[a-z_]`, `[^.]`, `\d`, `\w`, `\s`),
//! groups `( )` / `(?: )` with `|`, the quantifiers `*`, `+`, `?` and `{n}`, `{n,}`,
//! `{n,m}` (lazy forms too), and the anchors `^` and `$`.
//!
//! RabbitMQ matches a policy pattern with Erlang's `re:run/2` (PCRE): the pattern may
//! match anywhere in the name unless it is anchored. Matching here is a Thompson NFA
//! simulation, so it takes time linear in the name whatever the pattern; anything
//! outside the subset (look-around, back-references, flags, `\b`, ...) is refused with
//! a reason so the caller can report the policy as unsupported.

/// One set of characters.
#[derive(Clone, Debug)]
enum Item {
    Range(char, char),
    Digit(bool),
    Word(bool),
    Space(bool),
}

impl Item {
    fn matches(&self, c: char) -> bool {
        match *self {
            Item::Range(lo, hi) => lo <= c && c <= hi,
            Item::Digit(yes) => c.is_ascii_digit() == yes,
            Item::Word(yes) => (c.is_ascii_alphanumeric() || c == '_') == yes,
            Item::Space(yes) => matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c') == yes,
        }
    }
}

/// A character test.
#[derive(Clone, Debug)]
struct Class {
    items: Vec<Item>,
    negated: bool,
}

impl Class {
    fn one(item: Item) -> Class {
        Class {
            items: vec![item],
            negated: false,
        }
    }
    fn matches(&self, c: char) -> bool {
        self.items.iter().any(|i| i.matches(c)) != self.negated
    }
}

/// Parsed expression.
#[derive(Clone, Debug)]
enum Ast {
    Empty,
    Class(Class),
    /// `.`: any character but a newline.
    Any,
    Start,
    End,
    Concat(Vec<Ast>),
    Alt(Vec<Ast>),
    Repeat(Box<Ast>, u32, Option<u32>),
}

/// NFA instruction.
#[derive(Clone, Debug)]
enum Inst {
    Class(Class),
    Any,
    Start,
    End,
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// Largest program accepted (counted repetitions expand).
const MAX_PROGRAM: usize = 2_000;
/// Deepest group nesting accepted.
const MAX_DEPTH: usize = 64;
/// Largest repetition count accepted in `{n,m}`.
const MAX_COUNT: u32 = 100;

/// A compiled policy pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    program: Vec<Inst>,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Ast, String> {
        let mut branches = vec![self.concat()?];
        while self.eat('|') {
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.pop().unwrap_or(Ast::Empty)
        } else {
            Ast::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Ast, String> {
        let mut parts = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            parts.push(atom);
        }
        Ok(match parts.len() {
            0 => Ast::Empty,
            1 => parts.pop().unwrap_or(Ast::Empty),
            _ => Ast::Concat(parts),
        })
    }

    fn quantified(&mut self, atom: Ast) -> Result<Ast, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => match self.counted()? {
                Some(range) => {
                    // `counted` consumed the braces; step back so the common skip
                    // below lands after them.
                    self.pos -= 1;
                    range
                }
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(atom, Ast::Start | Ast::End) {
            return Err("a quantifier after an anchor".into());
        }
        // Lazy (`*?`) and possessive (`*+`) forms: laziness does not change whether a
        // name matches; possessive quantifiers can, so they are refused.
        if self.eat('+') {
            return Err("possessive quantifiers".into());
        }
        self.eat('?');
        if matches!(self.peek(), Some('*' | '+' | '?')) {
            return Err("a quantifier that follows another".into());
        }
        Ok(Ast::Repeat(Box::new(atom), min, max))
    }

    /// `{n}`, `{n,}`, `{n,m}` at the cursor; consumes it. `None` when the brace is a
    /// literal (PCRE treats a brace that does not form a quantifier literally).
    fn counted(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let start = self.pos;
        self.pos += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            if p.pos == from {
                return None;
            }
            let text: String = p.chars[from..p.pos].iter().collect();
            Some(text.parse::<u32>().unwrap_or(u32::MAX))
        };
        let Some(min) = number(self) else {
            self.pos = start;
            return Ok(None);
        };
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                match number(self) {
                    Some(m) => Some(m),
                    None => {
                        self.pos = start;
                        return Ok(None);
                    }
                }
            }
        } else {
            Some(min)
        };
        if !self.eat('}') {
            self.pos = start;
            return Ok(None);
        }
        if min > MAX_COUNT || max.is_some_and(|m| m > MAX_COUNT) {
            return Err(format!("repetition counts above {MAX_COUNT}"));
        }
        if max.is_some_and(|m| m < min) {
            return Err("a repetition {n,m} with m < n".into());
        }
        Ok(Some((min, max)))
    }

    fn atom(&mut self) -> Result<Ast, String> {
        let Some(c) = self.next() else {
            return Ok(Ast::Empty);
        };
        Ok(match c {
            '.' => Ast::Any,
            '^' => Ast::Start,
            '$' => Ast::End,
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    return Err("group flags and look-around `(?...)`".into());
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(format!("groups nested deeper than {MAX_DEPTH}"));
                }
                let inner = self.alternation()?;
                self.depth -= 1;
                if !self.eat(')') {
                    return Err("an unclosed `(`".into());
                }
                inner
            }
            ')' => return Err("an unmatched `)`".into()),
            '[' => Ast::Class(self.class()?),
            '\\' => self.escape(false)?,
            '*' | '+' | '?' => return Err(format!("`{c}` with nothing to repeat")),
            c => Ast::Class(Class::one(Item::Range(c, c))),
        })
    }

    /// After a backslash. In a class, `\b` is a backspace; elsewhere it is refused.
    fn escape(&mut self, in_class: bool) -> Result<Ast, String> {
        let Some(c) = self.next() else {
            return Err("a trailing backslash".into());
        };
        let item = match c {
            'd' => Item::Digit(true),
            'D' => Item::Digit(false),
            'w' => Item::Word(true),
            'W' => Item::Word(false),
            's' => Item::Space(true),
            'S' => Item::Space(false),
            'n' => Item::Range('\n', '\n'),
            't' => Item::Range('\t', '\t'),
            'r' => Item::Range('\r', '\r'),
            'f' => Item::Range('\x0c', '\x0c'),
            'v' => Item::Range('\x0b', '\x0b'),
            'e' => Item::Range('\x1b', '\x1b'),
            'b' if in_class => Item::Range('\x08', '\x08'),
            c if c.is_ascii_alphanumeric() => return Err(format!("the escape `\\{c}`")),
            c => Item::Range(c, c),
        };
        Ok(Ast::Class(Class::one(item)))
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.next() else {
                return Err("an unclosed `[`".into());
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            if c == '[' && self.peek() == Some(':') {
                return Err("POSIX classes `[:name:]`".into());
            }
            let lo = if c == '\\' {
                match self.escape(true)? {
                    Ast::Class(Class {
                        items: mut inner, ..
                    }) => match inner.pop() {
                        Some(Item::Range(a, _)) => a,
                        Some(other) => {
                            items.push(other);
                            continue;
                        }
                        None => continue,
                    },
                    _ => continue,
                }
            } else {
                c
            };
            // A range `a-z` unless the dash is last.
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let hi = match self.next() {
                    Some('\\') => match self.escape(true)? {
                        Ast::Class(Class { items: inner, .. }) => match inner.first() {
                            Some(Item::Range(a, _)) => *a,
                            _ => return Err("a class range that ends in a class".into()),
                        },
                        _ => return Err("a class range that ends in a class".into()),
                    },
                    Some(h) => h,
                    None => return Err("an unclosed `[`".into()),
                };
                if hi < lo {
                    return Err(format!("the reversed range `{lo}-{hi}`"));
                }
                items.push(Item::Range(lo, hi));
            } else {
                items.push(Item::Range(lo, lo));
            }
        }
        Ok(Class { items, negated })
    }
}

struct Compiler {
    program: Vec<Inst>,
}

impl Compiler {
    fn push(&mut self, inst: Inst) -> Result<usize, String> {
        if self.program.len() >= MAX_PROGRAM {
            return Err("a pattern this large".into());
        }
        self.program.push(inst);
        Ok(self.program.len() - 1)
    }

    fn emit(&mut self, ast: &Ast) -> Result<(), String> {
        match ast {
            Ast::Empty => {}
            Ast::Class(c) => {
                self.push(Inst::Class(c.clone()))?;
            }
            Ast::Any => {
                self.push(Inst::Any)?;
            }
            Ast::Start => {
                self.push(Inst::Start)?;
            }
            Ast::End => {
                self.push(Inst::End)?;
            }
            Ast::Concat(parts) => {
                for p in parts {
                    self.emit(p)?;
                }
            }
            Ast::Alt(branches) => {
                let mut jumps = Vec::new();
                for (i, b) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(b)?;
                        jumps.push(self.push(Inst::Jmp(0))?);
                        let next = self.program.len();
                        self.program[split] = Inst::Split(split + 1, next);
                    } else {
                        self.emit(b)?;
                    }
                }
                let end = self.program.len();
                for j in jumps {
                    self.program[j] = Inst::Jmp(end);
                }
            }
            Ast::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    self.emit(inner)?;
                }
                match max {
                    None => {
                        // L: split body, end; body; jmp L
                        let split = self.push(Inst::Split(0, 0))?;
                        self.emit(inner)?;
                        self.push(Inst::Jmp(split))?;
                        let end = self.program.len();
                        self.program[split] = Inst::Split(split + 1, end);
                    }
                    Some(max) => {
                        let mut splits = Vec::new();
                        for _ in *min..*max {
                            splits.push(self.push(Inst::Split(0, 0))?);
                            self.emit(inner)?;
                        }
                        let end = self.program.len();
                        for s in splits {
                            self.program[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl Pattern {
    /// Compiles `text`, or says which construct is outside the supported subset.
    pub(crate) fn new(text: &str) -> Result<Pattern, String> {
        let mut parser = Parser {
            chars: text.chars().collect(),
            pos: 0,
            depth: 0,
        };
        let ast = parser.alternation()?;
        if parser.pos < parser.chars.len() {
            return Err("an unmatched `)`".into());
        }
        let mut compiler = Compiler {
            program: Vec::new(),
        };
        compiler.emit(&ast)?;
        compiler.push(Inst::Match)?;
        Ok(Pattern {
            program: compiler.program,
        })
    }

    /// Whether the pattern matches somewhere in `name` (PCRE's unanchored search).
    pub(crate) fn is_match(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        let n = self.program.len();
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        let mut seen = vec![usize::MAX; n];
        let mut stack: Vec<usize> = Vec::new();
        for pos in 0..=chars.len() {
            // A new attempt may start at every position.
            current.push(0);
            // Epsilon closure at `pos`, marking with the position as the generation.
            let mut ready: Vec<usize> = Vec::new();
            stack.clear();
            stack.extend(current.drain(..).rev());
            while let Some(pc) = stack.pop() {
                if seen[pc] == pos {
                    continue;
                }
                seen[pc] = pos;
                match &self.program[pc] {
                    Inst::Match => return true,
                    Inst::Jmp(t) => stack.push(*t),
                    Inst::Split(a, b) => {
                        stack.push(*b);
                        stack.push(*a);
                    }
                    Inst::Start => {
                        if pos == 0 {
                            stack.push(pc + 1);
                        }
                    }
                    Inst::End => {
                        // PCRE's `$`: the end, or just before a final newline.
                        let at_end =
                            pos == chars.len() || (pos + 1 == chars.len() && chars[pos] == '\n');
                        if at_end {
                            stack.push(pc + 1);
                        }
                    }
                    Inst::Class(_) | Inst::Any => ready.push(pc),
                }
            }
            let Some(&c) = chars.get(pos) else {
                break;
            };
            for pc in ready {
                let ok = match &self.program[pc] {
                    Inst::Class(class) => class.matches(c),
                    Inst::Any => c != '\n',
                    _ => false,
                };
                if ok {
                    next.push(pc + 1);
                }
            }
            std::mem::swap(&mut current, &mut next);
            next.clear();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, s: &str) -> bool {
        Pattern::new(p).unwrap().is_match(s)
    }

    #[test]
    fn common_policy_patterns() {
        assert!(m("", "anything"));
        assert!(m(".*", ""));
        assert!(m("^orders$", "orders"));
        assert!(!m("^orders$", "orders.eu"));
        assert!(m("^orders", "orders.eu"));
        assert!(!m("^orders", "my.orders"));
        assert!(m("orders", "my.orders.eu"));
        assert!(m("^ha\\.", "ha.one"));
        assert!(!m("^ha\\.", "hax"));
        assert!(m("^(orders|payments)\\..+$", "payments.x"));
        assert!(!m("^(orders|payments)\\..+$", "payments."));
        assert!(m("^q-[0-9]{2}$", "q-42"));
        assert!(!m("^q-[0-9]{2}$", "q-421"));
        assert!(m("^[^.]+$", "plain"));
        assert!(!m("^[^.]+$", "dotted.name"));
        assert!(m("\\.dlq$", "orders.dlq"));
        assert!(m("^a{2,}b?$", "aaaa"));
        assert!(m("^(?:x|y)*z$", "xyxz"));
        assert!(m("^\\w+-\\d+$", "abc-12"));
        assert!(m("x{", "x{"));
    }

    #[test]
    fn refused_constructs() {
        for p in [
            "(?i)abc", "(?=a)", "\\1", "a**", "(", ")", "[", "\\b", "a{200}", "[z-a]", "*a",
        ] {
            assert!(Pattern::new(p).is_err(), "{p}");
        }
    }

    #[test]
    fn pathological_patterns_stay_fast() {
        let p = Pattern::new("^(a*)*(a|b)*(a*)*c$").unwrap();
        let name = "a".repeat(5000);
        assert!(!p.is_match(&name));
    }
}
