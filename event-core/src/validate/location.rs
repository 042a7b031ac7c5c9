//! Where a value sits in the serialised document, built without allocating: the JSON pointer
//! is written only when a violation is found.

use std::fmt;

/// A JSON pointer segment with `~` and `/` escaped (RFC 6901): the one escape of the
/// project, shared with the compatibility checker.
pub use event_compat::escape_segment;

/// One step of a path.
#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    /// A map's key, written as its `Display` writes it only when the pointer is.
    Shown(&'a dyn fmt::Display),
    Index(usize),
}

impl fmt::Debug for Step<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Root => f.write_str("Root"),
            Step::Key(key) => f.debug_tuple("Key").field(key).finish(),
            Step::Shown(key) => f.debug_tuple("Key").field(&key.to_string()).finish(),
            Step::Index(index) => f.debug_tuple("Index").field(index).finish(),
        }
    }
}

/// A position in a serialised value, as a chain of borrowed steps on the stack.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    parent: Option<&'a Location<'a>>,
    step: Step<'a>,
}

impl<'a> Location<'a> {
    /// The document itself.
    pub const ROOT: Location<'static> = Location {
        parent: None,
        step: Step::Root,
    };

    /// The member `key` of the object here.
    pub fn key(&'a self, key: &'a str) -> Location<'a> {
        Location {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The member of a map here whose key displays as `key` (a map's keys are written as
    /// their `Display` writes them): formatted only if a violation needs the pointer.
    ///
    /// ```
    /// use event_core::validate::Location;
    /// let root = Location::ROOT;
    /// let id = uuid::Uuid::nil();
    /// assert_eq!(root.shown_key(&id).pointer(), format!("/{id}"));
    /// ```
    pub fn shown_key(&'a self, key: &'a dyn fmt::Display) -> Location<'a> {
        Location {
            parent: Some(self),
            step: Step::Shown(key),
        }
    }

    /// The item `index` of the array here.
    pub fn index(&'a self, index: usize) -> Location<'a> {
        Location {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    /// The JSON pointer (RFC 6901) of this position; `""` for the root.
    ///
    /// ```
    /// use event_core::validate::Location;
    /// let root = Location::ROOT;
    /// let data = root.key("data");
    /// let ids = data.key("a/b");
    /// assert_eq!(ids.index(3).pointer(), "/data/a~1b/3");
    /// ```
    pub fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut current = Some(self);
        while let Some(location) = current {
            steps.push(location.step);
            current = location.parent;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => {
                    pointer.push('/');
                    pointer.push_str(&escape_segment(key));
                }
                Step::Shown(key) => {
                    pointer.push('/');
                    pointer.push_str(&escape_segment(&key.to_string()));
                }
                Step::Index(index) => {
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                }
            }
        }
        pointer
    }
}
