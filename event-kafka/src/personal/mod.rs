//! Personal data at rest: the `#[event(pii)]` fields of an event encrypted with AES-256-GCM
//! under a data key of their data subject (a player), the data keys wrapped by a key
//! encryption key and kept in a [`DataKeyStore`]; [`PersonalData::erase`] destroys a subject's
//! keys, and with them every copy of their data (crypto-shredding).
//!
//! The producer seals ([`EventProducer::with_personal_data`](crate::EventProducer::with_personal_data)),
//! the consumer opens ([`EventConsumer::with_personal_data`](crate::EventConsumer::with_personal_data));
//! a consumer without the keys reads each such field as [`Personal::Sealed`].
//! The record says what it encrypted in the [`ENCRYPTED_FIELDS_HEADER`]:
//! `{"subject": "<id>", "fields": ["/data/text"]}`.
//!
//! ```
//! use std::sync::Arc;
//! use event_kafka::personal::{LocalKms, MemoryKeyStore, PersonalData};
//! let kms = LocalKms::from_secret("dev", b"a secret of at least 16 bytes").unwrap();
//! let personal = PersonalData::new(kms, Arc::new(MemoryKeyStore::new()));
//! let value = br#"{"event_type":"social.chat.message_sent","data":{"sender_id":"p1","text":"hello"}}"#;
//! let fields = ["/data/text".to_owned()];
//! let sealed = personal.seal_fields(value, "p1", &fields).unwrap();
//! assert!(!String::from_utf8_lossy(&sealed.value).contains("hello"));
//! let opened = personal.open(&sealed.value, &sealed.header).unwrap();
//! assert!(String::from_utf8_lossy(&opened.value).contains("hello"));
//! personal.erase("p1").unwrap();
//! let erased = personal.open(&sealed.value, &sealed.header).unwrap();
//! assert!(String::from_utf8_lossy(&erased.value).contains(r#""sealed":"erased""#));
//! ```

mod fields;
mod format;
mod kafka_store;
mod kms;
mod store;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use aes_gcm::aead::OsRng;
use aes_gcm::{Aes256Gcm, KeyInit};
pub use event_core::personal::{Personal, SealReason, ENCRYPTED_FIELDS_HEADER};
use serde_json::Value;

pub(crate) use fields::{fields_of, fields_of_domain, EventFields};
pub use format::{FormatError, FORMAT_MAGIC};
pub use kafka_store::{data_key_topic_config, KafkaKeyStore, DATA_KEY_TOPIC};
pub use kms::{KeyProvider, KeyProviderError, LocalKms, MIN_SECRET_BYTES};
pub use store::{DataKeyStore, KeyStoreError, MemoryKeyStore, SubjectKeys, WrappedKey};

use format::Encrypted;

/// Why personal data could not be sealed or opened.
#[derive(Debug, thiserror::Error)]
pub enum PersonalDataError {
    /// The key provider failed.
    #[error(transparent)]
    Provider(#[from] KeyProviderError),
    /// The data-key store failed.
    #[error(transparent)]
    Store(#[from] KeyStoreError),
    /// The event has personal data but names no data subject (no `data_subject` field, no
    /// `player_id` in the event or its envelope).
    #[error("`{event_type}` carries personal data but no data subject: name one with #[event(data_subject = field)] or set the envelope's player_id")]
    NoDataSubject {
        /// The event.
        event_type: String,
    },
    /// The value is not a JSON object, or cannot be written back.
    #[error("the record's value is not a JSON envelope")]
    NotJson,
    /// The [`ENCRYPTED_FIELDS_HEADER`] is not `{"subject": "..", "fields": ["/pointer", ..]}`.
    #[error("the {ENCRYPTED_FIELDS_HEADER} header is malformed")]
    Header,
    /// A field listed as encrypted is absent or not a string.
    #[error("{pointer}: listed as encrypted, but absent or not a string")]
    NotAString {
        /// The field.
        pointer: String,
    },
    /// A field listed as encrypted is not in the encrypted format.
    #[error("{pointer}: {source}")]
    Format {
        /// The field.
        pointer: String,
        /// What is wrong.
        source: FormatError,
    },
    /// A field does not decrypt with the key its version names: altered on the way, or
    /// written with another key under the same version.
    #[error("{pointer}: the ciphertext does not decrypt with its data key (tampered with)")]
    Tampered {
        /// The field.
        pointer: String,
    },
}

/// A value with its personal data encrypted, and the header saying what was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedValue {
    /// The envelope, its personal fields encrypted.
    pub value: Vec<u8>,
    /// The [`ENCRYPTED_FIELDS_HEADER`] value.
    pub header: Vec<u8>,
}

/// A value whose encrypted fields were opened (or marked sealed where they could not be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedValue {
    /// The envelope, decrypted fields in clear, the others as sealed markers.
    pub value: Vec<u8>,
    /// How many fields were decrypted.
    pub decrypted: usize,
    /// How many stayed sealed (erased or without a key).
    pub sealed: usize,
}

/// How long an unwrapped data key is used before the store is asked again, so an erasure by
/// another process reaches this one within this time.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(30);

/// The data keys of a key provider and a store: seals and opens the personal fields of
/// records, and erases subjects.
pub struct PersonalData {
    provider: Box<dyn KeyProvider>,
    store: Arc<dyn DataKeyStore>,
    cache: Mutex<HashMap<(String, u32), CachedKey>>,
    /// The version that encrypts each subject's data, and when it was read.
    current: Mutex<HashMap<String, (u32, Instant)>>,
}

struct CachedKey {
    key: Arc<Aes256Gcm>,
    loaded: Instant,
}

impl std::fmt::Debug for PersonalData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonalData")
            .field("kek", &self.provider.kek_name())
            .finish_non_exhaustive()
    }
}

/// The header of a sealed record.
#[derive(serde::Serialize, serde::Deserialize)]
struct EncryptedFields {
    subject: String,
    fields: Vec<String>,
}

impl PersonalData {
    /// Data keys wrapped by `provider`, kept in `store`.
    pub fn new(provider: impl KeyProvider + 'static, store: Arc<dyn DataKeyStore>) -> Self {
        PersonalData {
            provider: Box::new(provider),
            store,
            cache: Mutex::default(),
            current: Mutex::default(),
        }
    }

    fn cache(&self) -> MutexGuard<'_, HashMap<(String, u32), CachedKey>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Encrypts the personal fields of an event's record in place (nothing when it has none),
    /// adding the [`ENCRYPTED_FIELDS_HEADER`].
    pub(crate) fn seal_record(
        &self,
        fields: &EventFields,
        record: &mut event_core::codec::KafkaRecord,
    ) -> Result<(), PersonalDataError> {
        if fields.paths.is_empty() {
            return Ok(());
        }
        let envelope: Value =
            serde_json::from_slice(&record.value).map_err(|_| PersonalDataError::NotJson)?;
        let pointers = fields.paths.locate(&envelope);
        if pointers.is_empty() {
            return Ok(());
        }
        let subject =
            fields
                .subject_of(&envelope)
                .ok_or_else(|| PersonalDataError::NoDataSubject {
                    event_type: fields.event_type.to_owned(),
                })?;
        let sealed = self.seal_value(envelope, &subject, &pointers)?;
        record.value = sealed.value;
        record
            .headers
            .push((ENCRYPTED_FIELDS_HEADER, sealed.header));
        Ok(())
    }

    /// Encrypts the string values at `pointers` of the JSON `value` under `subject`'s data key
    /// (created, wrapped and stored when it has none).
    pub fn seal_fields(
        &self,
        value: &[u8],
        subject: &str,
        pointers: &[String],
    ) -> Result<SealedValue, PersonalDataError> {
        let envelope: Value =
            serde_json::from_slice(value).map_err(|_| PersonalDataError::NotJson)?;
        self.seal_value(envelope, subject, pointers)
    }

    fn seal_value(
        &self,
        mut envelope: Value,
        subject: &str,
        pointers: &[String],
    ) -> Result<SealedValue, PersonalDataError> {
        let (version, key) = self.encrypting_key(subject)?;
        for pointer in pointers {
            let Some(Value::String(text)) = envelope.pointer_mut(pointer) else {
                return Err(PersonalDataError::NotAString {
                    pointer: pointer.clone(),
                });
            };
            *text = format::seal(&key, version, text.as_bytes());
        }
        let header = EncryptedFields {
            subject: subject.to_owned(),
            fields: pointers.to_vec(),
        };
        Ok(SealedValue {
            value: serde_json::to_vec(&envelope).map_err(|_| PersonalDataError::NotJson)?,
            header: serde_json::to_vec(&header).map_err(|_| PersonalDataError::NotJson)?,
        })
    }

    /// Decrypts the fields the `header` ([`ENCRYPTED_FIELDS_HEADER`]) lists; a field whose
    /// key was erased or is unknown becomes a [`Personal::sealed_marker`]. A field altered on
    /// the way is an error.
    pub fn open(&self, value: &[u8], header: &[u8]) -> Result<OpenedValue, PersonalDataError> {
        open_with(value, header, |subject, pointer, wire| {
            self.open_field(subject, pointer, wire)
        })
    }

    fn open_field(
        &self,
        subject: &str,
        pointer: &str,
        wire: &str,
    ) -> Result<Result<String, SealReason>, PersonalDataError> {
        let encrypted = Encrypted::parse(wire).map_err(|source| PersonalDataError::Format {
            pointer: pointer.to_owned(),
            source,
        })?;
        let key = match self.decrypting_key(subject, encrypted.version)? {
            Ok(key) => key,
            Err(reason) => return Ok(Err(reason)),
        };
        let plaintext = encrypted
            .open(&key)
            .ok_or_else(|| PersonalDataError::Tampered {
                pointer: pointer.to_owned(),
            })?;
        String::from_utf8(plaintext)
            .map(Ok)
            .map_err(|_| PersonalDataError::Tampered {
                pointer: pointer.to_owned(),
            })
    }

    /// Destroys every data key of `subject` in the store and in this process's cache: what
    /// they encrypted reads as [`SealReason::Erased`] from now on, everywhere (other processes
    /// within [`KEY_CACHE_TTL`]).
    pub fn erase(&self, subject: &str) -> Result<(), PersonalDataError> {
        self.store.erase(subject)?;
        self.cache().retain(|(cached, _), _| cached != subject);
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(subject);
        Ok(())
    }

    /// The key that encrypts `subject`'s data: the oldest live one, or a new one.
    fn encrypting_key(&self, subject: &str) -> Result<(u32, Arc<Aes256Gcm>), PersonalDataError> {
        let current = self
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(subject)
            .copied();
        if let Some((version, _)) = current.filter(|(_, read)| read.elapsed() < KEY_CACHE_TTL) {
            if let Some(cached) = self.cache().get(&(subject.to_owned(), version)) {
                if cached.loaded.elapsed() < KEY_CACHE_TTL {
                    return Ok((version, Arc::clone(&cached.key)));
                }
            }
        }
        let mut known = self.store.keys_of(subject)?;
        if known.keys.is_empty() {
            let data_key = Aes256Gcm::generate_key(&mut OsRng);
            self.store.add(WrappedKey {
                subject: subject.to_owned(),
                version: random_version(),
                kek_name: self.provider.kek_name().to_owned(),
                wrapped: self.provider.wrap(&data_key)?,
            })?;
            // Another writer may have added one at the same time: the oldest wins.
            known = self.store.keys_of(subject)?;
        }
        let first = known.keys.first().ok_or_else(|| {
            KeyStoreError("the key added for a subject is not in the store".to_owned())
        })?;
        let key = self.unwrapped(first)?;
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(subject.to_owned(), (first.version, Instant::now()));
        Ok((first.version, key))
    }

    /// The key of `version` for `subject`, or why there is none.
    fn decrypting_key(
        &self,
        subject: &str,
        version: u32,
    ) -> Result<Result<Arc<Aes256Gcm>, SealReason>, PersonalDataError> {
        let cache_key = (subject.to_owned(), version);
        if let Some(cached) = self.cache().get(&cache_key) {
            if cached.loaded.elapsed() < KEY_CACHE_TTL {
                return Ok(Ok(Arc::clone(&cached.key)));
            }
        }
        let known = self.store.keys_of(subject)?;
        match known.keys.iter().find(|key| key.version == version) {
            Some(wrapped) => Ok(Ok(self.unwrapped(wrapped)?)),
            None if known.erased => {
                self.cache().remove(&cache_key);
                Ok(Err(SealReason::Erased))
            }
            None => {
                self.cache().remove(&cache_key);
                Ok(Err(SealReason::KeyUnavailable))
            }
        }
    }

    fn unwrapped(&self, wrapped: &WrappedKey) -> Result<Arc<Aes256Gcm>, PersonalDataError> {
        let cache_key = (wrapped.subject.clone(), wrapped.version);
        if let Some(cached) = self.cache().get(&cache_key) {
            if cached.loaded.elapsed() < KEY_CACHE_TTL {
                return Ok(Arc::clone(&cached.key));
            }
        }
        let bytes = self.provider.unwrap(&wrapped.wrapped)?;
        let key =
            Arc::new(
                Aes256Gcm::new_from_slice(&bytes).map_err(|_| KeyProviderError::Unwrap {
                    name: self.provider.kek_name().to_owned(),
                })?,
            );
        self.cache().insert(
            cache_key,
            CachedKey {
                key: Arc::clone(&key),
                loaded: Instant::now(),
            },
        );
        Ok(key)
    }
}

/// A key version no other writer is likely to pick for the same subject (two writers that
/// create a subject's first key at once keep both).
fn random_version() -> u32 {
    use aes_gcm::aead::rand_core::RngCore;
    OsRng.next_u32()
}

/// The fields the header lists, each replaced by `open(subject, pointer, wire)`: the clear
/// text, or the reason it stays sealed.
fn open_with(
    value: &[u8],
    header: &[u8],
    mut open: impl FnMut(&str, &str, &str) -> Result<Result<String, SealReason>, PersonalDataError>,
) -> Result<OpenedValue, PersonalDataError> {
    let listed: EncryptedFields =
        serde_json::from_slice(header).map_err(|_| PersonalDataError::Header)?;
    let mut envelope: Value =
        serde_json::from_slice(value).map_err(|_| PersonalDataError::NotJson)?;
    let (mut decrypted, mut sealed) = (0, 0);
    for pointer in &listed.fields {
        let Some(slot) = envelope.pointer_mut(pointer) else {
            return Err(PersonalDataError::NotAString {
                pointer: pointer.clone(),
            });
        };
        let Value::String(wire) = slot else {
            return Err(PersonalDataError::NotAString {
                pointer: pointer.clone(),
            });
        };
        match open(&listed.subject, pointer, wire)? {
            Ok(text) => {
                *wire = text;
                decrypted += 1;
            }
            Err(reason) => {
                *slot = Personal::sealed_marker(reason, std::mem::take(wire));
                sealed += 1;
            }
        }
    }
    Ok(OpenedValue {
        value: serde_json::to_vec(&envelope).map_err(|_| PersonalDataError::NotJson)?,
        decrypted,
        sealed,
    })
}

/// The fields the header lists, each marked sealed with [`SealReason::NoKeyProvider`]: what a
/// consumer without keys reads.
pub fn open_without_keys(value: &[u8], header: &[u8]) -> Result<OpenedValue, PersonalDataError> {
    open_with(value, header, |_, pointer, wire| {
        Encrypted::parse(wire).map_err(|source| PersonalDataError::Format {
            pointer: pointer.to_owned(),
            source,
        })?;
        Ok(Err(SealReason::NoKeyProvider))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn personal() -> PersonalData {
        let kms = LocalKms::from_secret("test", b"0123456789abcdef").unwrap();
        PersonalData::new(kms, Arc::new(MemoryKeyStore::new()))
    }

    const VALUE: &[u8] = br#"{"data":{"sender_id":"p1","text":"hello","n":3}}"#;

    #[test]
    fn hostile_headers_and_values_are_typed_errors() {
        let personal = personal();
        let sealed = personal
            .seal_fields(VALUE, "p1", &["/data/text".to_owned()])
            .unwrap();
        let header = |fields: &str| format!(r#"{{"subject":"p1","fields":{fields}}}"#);
        let cases: [(&[u8], String); 6] = [
            (&sealed.value, "not json".to_owned()),
            (&sealed.value, r#"{"fields":[]}"#.to_owned()),
            (&sealed.value, header(r#"["/data/missing"]"#)),
            (&sealed.value, header(r#"["/data/n"]"#)),
            (VALUE, header(r#"["/data/text"]"#)),
            (b"[1,", header("[]")),
        ];
        for (value, header) in cases {
            let error = personal.open(value, header.as_bytes()).unwrap_err();
            assert!(
                !matches!(
                    error,
                    PersonalDataError::Provider(_) | PersonalDataError::Store(_)
                ),
                "{header}: {error}"
            );
            assert!(!error.to_string().contains("hello"));
        }
    }

    #[test]
    fn a_value_that_is_not_a_string_is_not_sealed() {
        let error = personal()
            .seal_fields(VALUE, "p1", &["/data/n".to_owned()])
            .unwrap_err();
        assert!(matches!(error, PersonalDataError::NotAString { .. }));
    }

    #[test]
    fn one_key_per_subject_and_keys_do_not_cross_subjects() {
        let personal = personal();
        let one = personal
            .seal_fields(VALUE, "p1", &["/data/text".to_owned()])
            .unwrap();
        let two = personal
            .seal_fields(VALUE, "p1", &["/data/text".to_owned()])
            .unwrap();
        let version = |sealed: &SealedValue| {
            let value: Value = serde_json::from_slice(&sealed.value).unwrap();
            Encrypted::parse(value["data"]["text"].as_str().unwrap())
                .unwrap()
                .version
        };
        assert_eq!(version(&one), version(&two));
        assert_ne!(one.value, two.value, "a fresh nonce per value");
        // The same ciphertext presented as another subject's does not open.
        let forged = String::from_utf8(one.header.clone())
            .unwrap()
            .replace("p1", "p2");
        personal
            .seal_fields(VALUE, "p2", &["/data/text".to_owned()])
            .unwrap();
        let opened = personal.open(&one.value, forged.as_bytes()).unwrap();
        assert_eq!(opened.sealed, 1, "p2 has no key of p1's version");
    }

    #[test]
    fn without_keys_every_listed_field_is_sealed() {
        let sealed = personal()
            .seal_fields(VALUE, "p1", &["/data/text".to_owned()])
            .unwrap();
        let opened = open_without_keys(&sealed.value, &sealed.header).unwrap();
        assert_eq!((opened.decrypted, opened.sealed), (0, 1));
        let value: Value = serde_json::from_slice(&opened.value).unwrap();
        assert_eq!(value["data"]["text"]["sealed"], "no_key_provider");
    }
}
