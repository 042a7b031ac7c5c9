//! Values kept by event type, made once and shared: read for every record, written at each
//! type's first use (the producer's routes, the personal fields of each event type).

use std::sync::{Arc, PoisonError, RwLock};

use foldhash::HashMap;

/// A value per event type, each made once.
pub(crate) struct ByEventType<V> {
    /// foldhash, not SipHash: the keys are the catalog's names, and SipHash was 4 % of the
    /// producing thread.
    kept: RwLock<HashMap<&'static str, Arc<V>>>,
}

impl<V> Default for ByEventType<V> {
    fn default() -> Self {
        ByEventType {
            kept: RwLock::default(),
        }
    }
}

impl<V> ByEventType<V> {
    /// The value kept for `event_type`, if any.
    pub(crate) fn get(&self, event_type: &str) -> Option<Arc<V>> {
        self.kept
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(event_type)
            .cloned()
    }

    /// Keeps `value` for `event_type` unless another thread kept one first, and returns what
    /// is kept.
    pub(crate) fn keep_first(&self, event_type: &'static str, value: V) -> Arc<V> {
        let mut kept = self.kept.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(kept.entry(event_type).or_insert_with(|| Arc::new(value)))
    }

    /// The value kept for `event_type`, made by `make` the first time.
    pub(crate) fn get_or_make(&self, event_type: &'static str, make: impl FnOnce() -> V) -> Arc<V> {
        self.get(event_type)
            .unwrap_or_else(|| self.keep_first(event_type, make()))
    }
}
