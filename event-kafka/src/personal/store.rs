//! Data-key stores: where the wrapped data keys of every data subject live, and
//! [`MemoryKeyStore`], the one for tests.

use std::collections::HashMap;
use std::sync::Mutex;

/// One data key of a subject, wrapped by a key encryption key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrappedKey {
    /// The data subject (a player id).
    pub subject: String,
    /// The key's version, written before every value it encrypted.
    pub version: u32,
    /// The KEK that wrapped it.
    pub kek_name: String,
    /// The key, wrapped.
    pub wrapped: Vec<u8>,
}

/// What a store knows about a subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectKeys {
    /// Its live keys, oldest first: the first one encrypts.
    pub keys: Vec<WrappedKey>,
    /// Whether its keys were erased (the keys above, if any, were created afterwards).
    pub erased: bool,
}

/// Why a store failed.
#[derive(Debug, thiserror::Error)]
#[error("data-key store: {0}")]
pub struct KeyStoreError(pub String);

/// Where wrapped data keys are kept, shared by every producer and consumer of the data.
pub trait DataKeyStore: Send + Sync {
    /// What the store knows about `subject` now.
    fn keys_of(&self, subject: &str) -> Result<SubjectKeys, KeyStoreError>;
    /// Adds a key. Two writers may add one for the same subject at once: both are kept, and
    /// the oldest one encrypts from then on.
    fn add(&self, key: WrappedKey) -> Result<(), KeyStoreError>;
    /// Destroys every key of `subject`: what they encrypted can never be read again.
    fn erase(&self, subject: &str) -> Result<(), KeyStoreError>;
}

/// A store in this process's memory: for tests, and for data that need not outlive it.
#[derive(Debug, Default)]
pub struct MemoryKeyStore {
    subjects: Mutex<HashMap<String, SubjectKeys>>,
}

impl MemoryKeyStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn subjects(&self) -> std::sync::MutexGuard<'_, HashMap<String, SubjectKeys>> {
        self.subjects
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl DataKeyStore for MemoryKeyStore {
    fn keys_of(&self, subject: &str) -> Result<SubjectKeys, KeyStoreError> {
        Ok(self.subjects().get(subject).cloned().unwrap_or_default())
    }

    fn add(&self, key: WrappedKey) -> Result<(), KeyStoreError> {
        self.subjects()
            .entry(key.subject.clone())
            .or_default()
            .keys
            .push(key);
        Ok(())
    }

    fn erase(&self, subject: &str) -> Result<(), KeyStoreError> {
        let mut subjects = self.subjects();
        let entry = subjects.entry(subject.to_owned()).or_default();
        entry.keys.clear();
        entry.erased = true;
        Ok(())
    }
}
