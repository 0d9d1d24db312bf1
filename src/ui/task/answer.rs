//! Editing the learner's answer (a JSON document of the task's submission shape) by field path:
//! `vitals.heart_rate`, `allergies[2].reaction`. Missing objects are created on the way; a list
//! index past the end is ignored (rows are added with [`add_row`]).

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<'a> {
    Field(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        if let Some((name, rest)) = part.split_once('[') {
            if !name.is_empty() {
                out.push(Step::Field(name));
            }
            if let Some(i) = rest.strip_suffix(']').and_then(|n| n.parse().ok()) {
                out.push(Step::Index(i));
            }
        } else if !part.is_empty() {
            out.push(Step::Field(part));
        }
    }
    out
}

/// The value at `path`, if any.
pub(crate) fn get<'a>(doc: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = doc;
    for s in steps(path) {
        cur = match s {
            Step::Field(f) => cur.get(f)?,
            Step::Index(i) => cur.get(i)?,
        };
    }
    Some(cur)
}

/// Sets the value at `path` (creating objects on the way).
pub(crate) fn set(doc: &mut Value, path: &str, value: Value) {
    let steps = steps(path);
    let mut cur = doc;
    for (n, s) in steps.iter().enumerate() {
        let last = n + 1 == steps.len();
        match s {
            Step::Field(f) => {
                if !cur.is_object() {
                    *cur = Value::Object(Map::new());
                }
                let Some(obj) = cur.as_object_mut() else {
                    return;
                };
                if last {
                    obj.insert((*f).to_string(), value);
                    return;
                }
                cur = obj.entry((*f).to_string()).or_insert(Value::Null);
            }
            Step::Index(i) => {
                let Some(item) = cur.as_array_mut().and_then(|a| a.get_mut(*i)) else {
                    return;
                };
                if last {
                    *item = value;
                    return;
                }
                cur = item;
            }
        }
    }
}

/// The list at `path` (empty when absent).
pub(crate) fn list<'a>(doc: &'a Value, path: &str) -> &'a [Value] {
    get(doc, path)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Appends `item` to the list at `path` (creating the list).
pub(crate) fn add_row(doc: &mut Value, path: &str, item: Value) {
    let mut items = list(doc, path).to_vec();
    items.push(item);
    set(doc, path, Value::Array(items));
}

/// Removes element `index` of the list at `path`.
pub(crate) fn remove_row(doc: &mut Value, path: &str, index: usize) {
    let mut items = list(doc, path).to_vec();
    if index < items.len() {
        items.remove(index);
        set(doc, path, Value::Array(items));
    }
}

/// Moves element `index` of the list at `path` up (`-1`) or down (`+1`).
pub(crate) fn move_row(doc: &mut Value, path: &str, index: usize, up: bool) {
    let mut items = list(doc, path).to_vec();
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1)
    };
    if let Some(j) = other.filter(|j| *j < items.len())
        && index < items.len()
    {
        items.swap(index, j);
        set(doc, path, Value::Array(items));
    }
}

/// Inserts `item` at position `at` of the list at `path` (at the end when `at` is past it).
pub(crate) fn insert_row(doc: &mut Value, path: &str, at: usize, item: Value) {
    let mut items = list(doc, path).to_vec();
    items.insert(at.min(items.len()), item);
    set(doc, path, Value::Array(items));
}

/// Moves element `from` of the list at `path` so that it lands before the element that was at
/// `to` (`to` = the length moves it to the end). Out-of-range `from` changes nothing.
pub(crate) fn move_row_to(doc: &mut Value, path: &str, from: usize, to: usize) {
    let mut items = list(doc, path).to_vec();
    if from >= items.len() {
        return;
    }
    let item = items.remove(from);
    let to = if to > from { to - 1 } else { to };
    items.insert(to.min(items.len()), item);
    set(doc, path, Value::Array(items));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_and_get_nested_and_listed_fields() {
        let mut doc = json!({"patient": {"name": null}, "allergies": []});
        set(&mut doc, "patient.name", json!("DOE, Jane"));
        set(&mut doc, "vitals.heart_rate", json!(72));
        add_row(&mut doc, "allergies", json!({"allergen": null}));
        set(&mut doc, "allergies[0].allergen", json!("latex"));
        set(&mut doc, "allergies[5].allergen", json!("ignored"));
        assert_eq!(get(&doc, "patient.name"), Some(&json!("DOE, Jane")));
        assert_eq!(get(&doc, "vitals.heart_rate"), Some(&json!(72)));
        assert_eq!(get(&doc, "allergies[0].allergen"), Some(&json!("latex")));
        assert_eq!(list(&doc, "allergies").len(), 1);
    }

    #[test]
    fn rows_move_and_disappear() {
        let mut doc = json!({"codes": {"diagnoses": ["A", "B", "C"]}});
        move_row(&mut doc, "codes.diagnoses", 2, true);
        assert_eq!(get(&doc, "codes.diagnoses"), Some(&json!(["A", "C", "B"])));
        move_row(&mut doc, "codes.diagnoses", 0, true);
        assert_eq!(get(&doc, "codes.diagnoses"), Some(&json!(["A", "C", "B"])));
        remove_row(&mut doc, "codes.diagnoses", 0);
        assert_eq!(get(&doc, "codes.diagnoses"), Some(&json!(["C", "B"])));
    }

    #[test]
    fn insert_and_move_rows_to_a_position() {
        let mut doc = json!({"codes": {"diagnoses": ["A", "B", "C"]}});
        let path = "codes.diagnoses";
        insert_row(&mut doc, path, 1, json!("X"));
        assert_eq!(
            list(&doc, path),
            [json!("A"), json!("X"), json!("B"), json!("C")]
        );
        insert_row(&mut doc, path, 99, json!("Z"));
        assert_eq!(list(&doc, path).last(), Some(&json!("Z")));
        // "C" (index 3) before "A" (index 0).
        move_row_to(&mut doc, path, 3, 0);
        assert_eq!(list(&doc, path).first(), Some(&json!("C")));
        // "C" (now 0) to the end.
        move_row_to(&mut doc, path, 0, 5);
        assert_eq!(
            list(&doc, path),
            [json!("A"), json!("X"), json!("B"), json!("Z"), json!("C")]
        );
        // Dropped on itself or just after itself: unchanged.
        move_row_to(&mut doc, path, 1, 1);
        move_row_to(&mut doc, path, 1, 2);
        assert_eq!(list(&doc, path).get(1), Some(&json!("X")));
        move_row_to(&mut doc, path, 9, 0);
        assert_eq!(list(&doc, path).len(), 5);
    }
}
