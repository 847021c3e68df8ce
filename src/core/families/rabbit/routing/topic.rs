//! Topic-exchange matching, as RabbitMQ does it (docs: rabbitmq.com/docs/exchanges,
//! "Topic Exchange"; source: `rabbit_exchange_type_topic`).
//!
//! Keys and binding patterns are split on `.` into words. An empty key has zero words;
//! `a.` is the two words `a` and `` (empty words are ordinary words). In a pattern `*`
//! matches exactly one word and `#` zero or more words.

/// One word of a compiled binding pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatternWord {
    /// Matches this exact word.
    Literal(String),
    /// `*`: exactly one word.
    Star,
    /// `#`: zero or more words.
    Hash,
}

/// Splits a routing key or pattern into words; `""` has none.
pub fn split_words(key: &str) -> impl Iterator<Item = &str> {
    let mut words = key.split('.');
    if key.is_empty() {
        // Consume the single empty piece so an empty key yields no words.
        words.next();
    }
    words
}

/// Compiles a binding key into pattern words (consecutive `#` collapse into one).
pub fn compile_pattern(binding_key: &str) -> Vec<PatternWord> {
    let mut out: Vec<PatternWord> = Vec::new();
    for word in split_words(binding_key) {
        let w = match word {
            "*" => PatternWord::Star,
            "#" => PatternWord::Hash,
            other => PatternWord::Literal(other.to_string()),
        };
        if w == PatternWord::Hash && out.last() == Some(&PatternWord::Hash) {
            continue;
        }
        out.push(w);
    }
    out
}

/// Whether the key words match the pattern. Dynamic programming over
/// (pattern position, key position): linear in their product, no backtracking blow-up.
pub fn pattern_matches(pattern: &[PatternWord], key: &[&str]) -> bool {
    matches_by(pattern, key.len(), |j| key[j])
}

/// [`pattern_matches`] over a key given as `len` words fetched by `word(j)`.
pub fn matches_by<'k>(
    pattern: &[PatternWord],
    len: usize,
    word: impl Fn(usize) -> &'k str,
) -> bool {
    const STACK: usize = 64;
    let mut small = [false; STACK + 1];
    let mut large = Vec::new();
    // reach[j]: the pattern so far can match the first j words.
    let reach: &mut [bool] = if len < STACK {
        &mut small[..=len]
    } else {
        large.resize(len + 1, false);
        &mut large
    };
    reach[0] = true;
    for w in pattern {
        match w {
            PatternWord::Hash => {
                // Zero or more: once reachable at j, reachable at every later j.
                let mut seen = false;
                for r in reach.iter_mut() {
                    seen |= *r;
                    *r = seen;
                }
            }
            PatternWord::Star | PatternWord::Literal(_) => {
                let mut any = false;
                for j in (1..=len).rev() {
                    let fits = match w {
                        PatternWord::Literal(l) => l == word(j - 1),
                        _ => true,
                    };
                    reach[j] = reach[j - 1] && fits;
                    any |= reach[j];
                }
                reach[0] = false;
                if !any {
                    return false;
                }
            }
        }
    }
    reach[len]
}

/// Convenience: does `routing_key` match `binding_key`?
pub fn topic_matches(binding_key: &str, routing_key: &str) -> bool {
    let words: Vec<&str> = split_words(routing_key).collect();
    pattern_matches(&compile_pattern(binding_key), &words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_follows_rabbitmq() {
        assert_eq!(split_words("").count(), 0);
        assert_eq!(split_words("a").collect::<Vec<_>>(), vec!["a"]);
        assert_eq!(split_words("a.").collect::<Vec<_>>(), vec!["a", ""]);
        assert_eq!(split_words(".").collect::<Vec<_>>(), vec!["", ""]);
        assert_eq!(split_words("a..b").collect::<Vec<_>>(), vec!["a", "", "b"]);
    }

    #[test]
    fn collapses_repeated_hash() {
        assert_eq!(
            compile_pattern("#.#.a"),
            vec![PatternWord::Hash, PatternWord::Literal("a".into())]
        );
    }
}
