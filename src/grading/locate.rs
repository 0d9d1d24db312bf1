//! Source positions for rubric item paths (`criteria[2].points` → line 14, column 7).
//!
//! serde discards positions once a rubric is parsed, so validation asks this small, tolerant
//! RON scanner where an item starts. It understands comments, strings (plain, raw, byte),
//! chars, structs/tuples `Name(..)`, lists and maps well enough to find named fields and list
//! elements; on anything unexpected it stops and reports what it found so far. It never panics
//! and limits nesting depth, so any input is safe.

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line.
    pub line: usize,
    /// Column (characters).
    pub col: usize,
}

#[derive(Debug, Default)]
struct Node {
    pos: Pos,
    end: Pos,
    fields: Vec<(String, Pos, Node)>,
    items: Vec<Node>,
}

struct Scanner {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
}

const MAX_DEPTH: usize = 64;

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }
    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.i + ahead).copied()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
    fn skip_trivia(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut depth = 1usize;
                    while depth > 0 {
                        match (self.bump(), self.peek()) {
                            (None, _) => return,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                depth -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                depth += 1;
                            }
                            _ => {}
                        }
                    }
                }
                (Some('#'), Some('!')) => {
                    while self.peek().is_some_and(|c| c != ']') {
                        self.bump();
                    }
                    self.bump();
                }
                _ => return,
            }
        }
    }
    fn ident(&mut self) -> String {
        let mut s = String::new();
        if self.peek() == Some('r') && self.peek_at(1) == Some('#') {
            self.bump();
            self.bump();
        }
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            s.push(c);
            self.bump();
        }
        s
    }
    fn string(&mut self) {
        // at `"`, `r"`, `r#"`, `b"` or `br"`
        if self.peek() == Some('b') {
            self.bump();
        }
        if self.peek() == Some('r') {
            self.bump();
            let mut hashes = 0;
            while self.peek() == Some('#') {
                self.bump();
                hashes += 1;
            }
            self.bump(); // opening quote
            loop {
                match self.bump() {
                    None => return,
                    Some('"') => {
                        let mut n = 0;
                        while n < hashes && self.peek() == Some('#') {
                            self.bump();
                            n += 1;
                        }
                        if n == hashes {
                            return;
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        let quote = self.bump();
        while let Some(c) = self.bump() {
            if c == '\\' {
                self.bump();
            } else if Some(c) == quote {
                return;
            }
        }
    }
    fn is_string_start(&self) -> bool {
        matches!(
            (self.peek(), self.peek_at(1), self.peek_at(2)),
            (Some('"'), _, _)
                | (Some('r' | 'b'), Some('"'), _)
                | (Some('r'), Some('#'), Some('"' | '#'))
                | (Some('b'), Some('r'), Some('"' | '#'))
        )
    }
    /// Parses one value; returns its node.
    fn value(&mut self, depth: usize) -> Node {
        self.skip_trivia();
        let mut node = Node {
            pos: self.pos(),
            ..Node::default()
        };
        if depth > MAX_DEPTH {
            return node;
        }
        match self.peek() {
            None => {}
            Some('(') => self.group(&mut node, ')', depth),
            Some('[') => self.group(&mut node, ']', depth),
            Some('{') => self.map(&mut node, depth),
            Some('\'') => {
                self.bump();
                if self.peek() == Some('\\') {
                    self.bump();
                }
                self.bump();
                self.bump();
            }
            Some(_) if self.is_string_start() => self.string(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                self.ident();
                self.skip_trivia();
                if self.peek() == Some('(') {
                    self.group(&mut node, ')', depth);
                }
            }
            Some(_) => {
                while self
                    .peek()
                    .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '+' | '-' | '_'))
                {
                    self.bump();
                }
            }
        }
        node.end = self.pos();
        node
    }
    fn group(&mut self, node: &mut Node, close: char, depth: usize) {
        self.bump(); // open
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some(c) if c == close => {
                    self.bump();
                    return;
                }
                Some(',') => {
                    self.bump();
                    continue;
                }
                _ => {}
            }
            let before = self.i;
            if close == ')' && self.field_ahead() {
                let name_pos = self.pos();
                let name = self.ident();
                self.skip_trivia();
                self.bump(); // ':'
                let value = self.value(depth + 1);
                node.fields.push((name, name_pos, value));
            } else {
                let value = self.value(depth + 1);
                node.items.push(value);
            }
            if self.i == before {
                self.bump(); // unexpected character: make progress
            }
        }
    }
    fn map(&mut self, node: &mut Node, depth: usize) {
        self.bump();
        loop {
            self.skip_trivia();
            match self.peek() {
                None => return,
                Some('}') => {
                    self.bump();
                    return;
                }
                Some(',' | ':') => {
                    self.bump();
                }
                _ => {
                    let before = self.i;
                    node.items.push(self.value(depth + 1));
                    if self.i == before {
                        self.bump();
                    }
                }
            }
        }
    }
    /// True when an identifier followed by a single `:` comes next.
    fn field_ahead(&self) -> bool {
        let mut j = self.i;
        if self.chars.get(j) == Some(&'r') && self.chars.get(j + 1) == Some(&'#') {
            j += 2;
        }
        let start = j;
        while self
            .chars
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
        {
            j += 1;
        }
        if j == start || self.chars.get(start).is_some_and(char::is_ascii_digit) {
            return false;
        }
        while self.chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        self.chars.get(j) == Some(&':') && self.chars.get(j + 1) != Some(&':')
    }
}

enum Step {
    Field(String),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(b) = rest.find('[') {
            out.push(Step::Field(rest.get(..b).unwrap_or("").to_string()));
            rest = rest.get(b..).unwrap_or("");
            while let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) {
                if let Some(n) = rest.get(open + 1..close).and_then(|s| s.parse().ok()) {
                    out.push(Step::Index(n));
                }
                rest = rest.get(close + 1..).unwrap_or("");
            }
        } else {
            out.push(Step::Field(rest.to_string()));
        }
    }
    out
}

fn before(a: Pos, b: Pos) -> bool {
    (a.line, a.col) < (b.line, b.col)
}

fn path_into(node: &Node, pos: Pos, out: &mut String) {
    for (name, name_pos, child) in &node.fields {
        if !before(pos, *name_pos) && before(pos, child.end) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(name);
            path_into(child, pos, out);
            return;
        }
    }
    for (i, child) in node.items.iter().enumerate() {
        if !before(pos, child.pos) && before(pos, child.end) {
            out.push_str(&format!("[{i}]"));
            path_into(child, pos, out);
            return;
        }
    }
}

/// The item path (e.g. `criteria[0].points`) of the innermost field or element whose text
/// contains `pos`; empty when none does.
#[must_use]
pub(crate) fn path_at(source: &str, pos: Pos) -> String {
    let mut scanner = Scanner {
        chars: source.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
    };
    let root = scanner.value(0);
    let mut out = String::new();
    path_into(&root, pos, &mut out);
    out
}

/// Position of the item at `path` (e.g. `criteria[1].points`) in RON `source`: the field name
/// for a field, the element start for a list element. Falls back to the deepest item found.
#[must_use]
pub(crate) fn locate(source: &str, path: &str) -> Pos {
    let mut scanner = Scanner {
        chars: source.chars().collect(),
        i: 0,
        line: 1,
        col: 1,
    };
    let root = scanner.value(0);
    let mut node = &root;
    let mut pos = root.pos;
    for step in steps(path) {
        let next = match &step {
            Step::Field(name) => {
                // A newtype enum variant, `Charting((medication_plan: …))`: look inside it.
                let inner = match node.items.as_slice() {
                    [only] if node.fields.is_empty() => only,
                    _ => node,
                };
                inner
                    .fields
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .map(|(_, p, n)| (*p, n))
            }
            Step::Index(i) => node.items.get(*i).map(|n| (n.pos, n)),
        };
        match next {
            Some((p, n)) => {
                pos = p;
                node = n;
            }
            None => break,
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "// a rubric\n(\n  version: 1,\n  criteria: [\n    ( id: \"a\", points: 1.0 ),\n    (\n      id: \"b\", // x: 1\n      points: 0.0,\n      kind: Exact(text: (case_sensitive: true)),\n    ),\n  ],\n)\n";

    #[test]
    fn finds_a_field_inside_a_newtype_variant() {
        let src = "(\n  task: Charting((\n    plan: [\n      (name: \"a\"),\n    ],\n  )),\n)\n";
        assert_eq!(locate(src, "task.plan[0]"), Pos { line: 4, col: 7 });
        assert_eq!(locate(src, "task"), Pos { line: 2, col: 3 });
    }

    #[test]
    fn finds_top_level_field() {
        assert_eq!(locate(SRC, "version"), Pos { line: 3, col: 3 });
    }

    #[test]
    fn finds_nested_list_element_field() {
        assert_eq!(locate(SRC, "criteria[1].points"), Pos { line: 8, col: 7 });
        assert_eq!(locate(SRC, "criteria[0].points"), Pos { line: 5, col: 16 });
        assert_eq!(locate(SRC, "criteria[1]"), Pos { line: 6, col: 5 });
    }

    #[test]
    fn finds_fields_inside_enum_variants() {
        assert_eq!(
            locate(SRC, "criteria[1].kind.text.case_sensitive"),
            Pos { line: 9, col: 26 }
        );
    }

    #[test]
    fn unknown_path_falls_back_to_deepest_known() {
        assert_eq!(locate(SRC, "criteria[1].nope"), Pos { line: 6, col: 5 });
    }

    #[test]
    fn path_at_names_the_innermost_item() {
        assert_eq!(path_at(SRC, Pos { line: 8, col: 15 }), "criteria[1].points");
        assert_eq!(path_at(SRC, Pos { line: 5, col: 12 }), "criteria[0].id");
        assert_eq!(path_at(SRC, Pos { line: 1, col: 2 }), "");
    }

    #[test]
    fn garbage_does_not_panic() {
        for src in ["", "(((", "r#\"", "'", "/*", "[1,,]", "(a: b: c)", "#![x"] {
            // Only the absence of a panic is tested; the position is irrelevant.
            let _ = locate(src, "criteria[0].id");
        }
    }
}
