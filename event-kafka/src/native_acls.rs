//! Kafka's ACL Admin API through librdkafka's C functions (`rd_kafka_CreateAcls`,
//! `rd_kafka_DescribeAcls`, `rd_kafka_DeleteAcls`), which rdkafka's safe API does not wrap.
//!
//! Every call follows one pattern: build the C arguments (owned here and destroyed on every
//! path by guards), start the request on a queue of our own, wait for its one result event,
//! copy what it says into Rust values, destroy the event. librdkafka copies the bindings and
//! filters it is given, so they are destroyed right after the call.
#![allow(unsafe_code)]

use std::ffi::{c_char, CStr, CString};
use std::ptr;
use std::time::Duration;

use rdkafka::bindings as rdsys;
use rdkafka::client::{Client, ClientContext};
use rdkafka::types::RDKafkaErrorCode;

/// One ACL binding as the cluster names its parts (`TOPIC`, `LITERAL`, `WRITE`, `ALLOW` …):
/// the cluster may hold kinds the catalog never declares (`CLUSTER`, `DENY`, `ALL` …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AclEntry {
    /// `TOPIC`, `GROUP`, `CLUSTER`, `TRANSACTIONAL_ID` …
    pub resource_type: String,
    /// The resource's name or prefix.
    pub resource_name: String,
    /// `LITERAL` or `PREFIXED`.
    pub pattern_type: String,
    /// `User:<name>`.
    pub principal: String,
    /// The host, `*` for any.
    pub host: String,
    /// `READ`, `WRITE`, `DESCRIBE`, `ALL` …
    pub operation: String,
    /// `ALLOW` or `DENY`.
    pub permission_type: String,
}

/// Why a request of the ACL API failed as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AclCallError {
    /// A binding could not be expressed (an unknown kind, a NUL in a name).
    Binding(String),
    /// The cluster or librdkafka refused the request.
    Request {
        code: RDKafkaErrorCode,
        message: String,
    },
    /// No answer within the timeout.
    Timeout,
}

/// A per-binding outcome of a create or delete request: `None` when it succeeded.
pub(crate) type Outcome = Option<(RDKafkaErrorCode, String)>;

fn resource_type(name: &str) -> Option<rdsys::rd_kafka_ResourceType_t> {
    use rdsys::rd_kafka_ResourceType_t::*;
    Some(match name {
        "TOPIC" => RD_KAFKA_RESOURCE_TOPIC,
        "GROUP" => RD_KAFKA_RESOURCE_GROUP,
        _ => return None,
    })
}

fn pattern_type(name: &str) -> Option<rdsys::rd_kafka_ResourcePatternType_t> {
    use rdsys::rd_kafka_ResourcePatternType_t::*;
    Some(match name {
        "LITERAL" => RD_KAFKA_RESOURCE_PATTERN_LITERAL,
        "PREFIXED" => RD_KAFKA_RESOURCE_PATTERN_PREFIXED,
        _ => return None,
    })
}

fn operation(name: &str) -> Option<rdsys::rd_kafka_AclOperation_t> {
    use rdsys::rd_kafka_AclOperation_t::*;
    Some(match name {
        "READ" => RD_KAFKA_ACL_OPERATION_READ,
        "WRITE" => RD_KAFKA_ACL_OPERATION_WRITE,
        "DESCRIBE" => RD_KAFKA_ACL_OPERATION_DESCRIBE,
        "ALL" => RD_KAFKA_ACL_OPERATION_ALL,
        _ => return None,
    })
}

fn permission_type(name: &str) -> Option<rdsys::rd_kafka_AclPermissionType_t> {
    use rdsys::rd_kafka_AclPermissionType_t::*;
    Some(match name {
        "ALLOW" => RD_KAFKA_ACL_PERMISSION_TYPE_ALLOW,
        "DENY" => RD_KAFKA_ACL_PERMISSION_TYPE_DENY,
        _ => return None,
    })
}

fn c_string(text: &str) -> Result<CString, AclCallError> {
    CString::new(text).map_err(|_| AclCallError::Binding(format!("`{text}` holds a NUL byte")))
}

/// A C string librdkafka owns, copied; empty for a null pointer.
///
/// # Safety
/// `text` is null or a NUL-terminated string valid for the duration of the call.
unsafe fn copied(text: *const c_char) -> String {
    if text.is_null() {
        String::new()
    } else {
        // SAFETY: the caller guarantees a valid NUL-terminated string.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    }
}

/// An `rd_kafka_AclBinding_t` (or filter) owned here.
struct NativeBinding(*mut rdsys::rd_kafka_AclBinding_t);

impl Drop for NativeBinding {
    fn drop(&mut self) {
        // SAFETY: the pointer came from rd_kafka_AclBinding_new/AclBindingFilter_new, is not
        // null (checked at construction) and is destroyed only here.
        unsafe { rdsys::rd_kafka_AclBinding_destroy(self.0) }
    }
}

/// Which librdkafka constructor to use.
#[derive(Clone, Copy)]
enum Kind {
    Binding,
    Filter,
}

impl NativeBinding {
    fn new(entry: &AclEntry, kind: Kind) -> Result<Self, AclCallError> {
        let unknown =
            |what: &str, value: &str| AclCallError::Binding(format!("unknown {what} `{value}`"));
        let restype = resource_type(&entry.resource_type)
            .ok_or_else(|| unknown("resource type", &entry.resource_type))?;
        let pattern = pattern_type(&entry.pattern_type)
            .ok_or_else(|| unknown("pattern type", &entry.pattern_type))?;
        let op =
            operation(&entry.operation).ok_or_else(|| unknown("operation", &entry.operation))?;
        let permission = permission_type(&entry.permission_type)
            .ok_or_else(|| unknown("permission type", &entry.permission_type))?;
        let name = c_string(&entry.resource_name)?;
        let principal = c_string(&entry.principal)?;
        let host = c_string(&entry.host)?;
        let mut errstr = [0 as c_char; 512];
        // SAFETY: every string is a live NUL-terminated CString for the duration of the call
        // (librdkafka copies them), `errstr` is a writable buffer of the size passed.
        let binding = unsafe {
            match kind {
                Kind::Binding => rdsys::rd_kafka_AclBinding_new(
                    restype,
                    name.as_ptr(),
                    pattern,
                    principal.as_ptr(),
                    host.as_ptr(),
                    op,
                    permission,
                    errstr.as_mut_ptr(),
                    errstr.len(),
                ),
                Kind::Filter => rdsys::rd_kafka_AclBindingFilter_new(
                    restype,
                    name.as_ptr(),
                    pattern,
                    principal.as_ptr(),
                    host.as_ptr(),
                    op,
                    permission,
                    errstr.as_mut_ptr(),
                    errstr.len(),
                ),
            }
        };
        if binding.is_null() {
            // SAFETY: librdkafka wrote a NUL-terminated message into `errstr`, which is
            // zero-initialised, so it is terminated even if nothing was written.
            return Err(AclCallError::Binding(unsafe { copied(errstr.as_ptr()) }));
        }
        Ok(NativeBinding(binding))
    }
}

/// The filter that matches every binding of the cluster.
fn match_everything() -> Result<NativeBinding, AclCallError> {
    let mut errstr = [0 as c_char; 512];
    // SAFETY: null names, principal and host mean "any"; `errstr` is a writable buffer of
    // the size passed.
    let filter = unsafe {
        rdsys::rd_kafka_AclBindingFilter_new(
            rdsys::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_ANY,
            ptr::null(),
            rdsys::rd_kafka_ResourcePatternType_t::RD_KAFKA_RESOURCE_PATTERN_ANY,
            ptr::null(),
            ptr::null(),
            rdsys::rd_kafka_AclOperation_t::RD_KAFKA_ACL_OPERATION_ANY,
            rdsys::rd_kafka_AclPermissionType_t::RD_KAFKA_ACL_PERMISSION_TYPE_ANY,
            errstr.as_mut_ptr(),
            errstr.len(),
        )
    };
    if filter.is_null() {
        // SAFETY: as in `NativeBinding::new`.
        return Err(AclCallError::Binding(unsafe { copied(errstr.as_ptr()) }));
    }
    Ok(NativeBinding(filter))
}

/// A binding librdkafka owns (inside a result event), copied into an [`AclEntry`].
///
/// # Safety
/// `binding` points to a live binding for the duration of the call.
unsafe fn entry_of(binding: *const rdsys::rd_kafka_AclBinding_t) -> AclEntry {
    // SAFETY: the caller guarantees `binding` is live; librdkafka's name functions return
    // static NUL-terminated strings and the accessors strings owned by the binding.
    unsafe {
        AclEntry {
            resource_type: copied(rdsys::rd_kafka_ResourceType_name(
                rdsys::rd_kafka_AclBinding_restype(binding),
            )),
            resource_name: copied(rdsys::rd_kafka_AclBinding_name(binding)),
            pattern_type: copied(rdsys::rd_kafka_ResourcePatternType_name(
                rdsys::rd_kafka_AclBinding_resource_pattern_type(binding),
            )),
            principal: copied(rdsys::rd_kafka_AclBinding_principal(binding)),
            host: copied(rdsys::rd_kafka_AclBinding_host(binding)),
            operation: copied(rdsys::rd_kafka_AclOperation_name(
                rdsys::rd_kafka_AclBinding_operation(binding),
            )),
            permission_type: copied(rdsys::rd_kafka_AclPermissionType_name(
                rdsys::rd_kafka_AclBinding_permission_type(binding),
            )),
        }
    }
}

/// An `rd_kafka_error_t` librdkafka owns, as a code and message; `None` for no error.
///
/// # Safety
/// `error` is null or points to a live error for the duration of the call.
unsafe fn outcome_of(error: *const rdsys::rd_kafka_error_t) -> Outcome {
    if error.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees `error` is live.
    unsafe {
        Some((
            rdsys::rd_kafka_error_code(error).into(),
            copied(rdsys::rd_kafka_error_string(error)),
        ))
    }
}

/// A queue, admin options and, once it arrives, the result event of one request, each
/// destroyed when this is dropped.
struct Request {
    queue: *mut rdsys::rd_kafka_queue_t,
    options: *mut rdsys::rd_kafka_AdminOptions_t,
    event: *mut rdsys::rd_kafka_event_t,
}

impl Drop for Request {
    fn drop(&mut self) {
        // SAFETY: each pointer is null or was created for this request only and is destroyed
        // only here; the event is destroyed before the queue it came from.
        unsafe {
            if !self.event.is_null() {
                rdsys::rd_kafka_event_destroy(self.event);
            }
            if !self.options.is_null() {
                rdsys::rd_kafka_AdminOptions_destroy(self.options);
            }
            if !self.queue.is_null() {
                rdsys::rd_kafka_queue_destroy(self.queue);
            }
        }
    }
}

impl Request {
    fn new<C: ClientContext>(client: &Client<C>, timeout: Duration) -> Result<Self, AclCallError> {
        let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        let rk = client.native_ptr();
        // SAFETY: `rk` is the live client `client` owns.
        let queue = unsafe { rdsys::rd_kafka_queue_new(rk) };
        // SAFETY: as above; RD_KAFKA_ADMIN_OP_ANY accepts every admin request.
        let options = unsafe {
            rdsys::rd_kafka_AdminOptions_new(rk, rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ANY)
        };
        let request = Request {
            queue,
            options,
            event: ptr::null_mut(),
        };
        if queue.is_null() || options.is_null() {
            return Err(AclCallError::Binding(
                "librdkafka refused a queue or options".into(),
            ));
        }
        let mut errstr = [0 as c_char; 512];
        // SAFETY: `options` is live; `errstr` is a writable buffer of the size passed.
        let code = unsafe {
            rdsys::rd_kafka_AdminOptions_set_request_timeout(
                request.options,
                timeout_ms,
                errstr.as_mut_ptr(),
                errstr.len(),
            )
        };
        if code != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
            // `request` destroys the options and the queue when it is dropped here.
            // SAFETY: as in `NativeBinding::new`.
            return Err(AclCallError::Binding(unsafe { copied(errstr.as_ptr()) }));
        }
        Ok(request)
    }

    /// Waits for the request's result event and checks its request-level error.
    fn wait(&mut self, timeout: Duration) -> Result<(), AclCallError> {
        // Some slack over the request timeout: librdkafka answers a timed-out request itself.
        let wait_ms = i32::try_from(timeout.as_millis() + 1_000).unwrap_or(i32::MAX);
        // SAFETY: `queue` is live; the event returned is ours to destroy (in Drop).
        self.event = unsafe { rdsys::rd_kafka_queue_poll(self.queue, wait_ms) };
        if self.event.is_null() {
            return Err(AclCallError::Timeout);
        }
        // SAFETY: `event` is live.
        let code: RDKafkaErrorCode = unsafe { rdsys::rd_kafka_event_error(self.event) }.into();
        if code != RDKafkaErrorCode::NoError {
            // SAFETY: `event` is live; its error string is owned by it.
            let message = unsafe { copied(rdsys::rd_kafka_event_error_string(self.event)) };
            return Err(AclCallError::Request { code, message });
        }
        Ok(())
    }
}

/// librdkafka's `rd_kafka_CreateAcls` and `rd_kafka_DeleteAcls`, which take the same
/// arguments: the client, an array of bindings (or filters), the options and the queue.
type BatchCall = unsafe extern "C" fn(
    *mut rdsys::rd_kafka_t,
    *mut *mut rdsys::rd_kafka_AclBinding_t,
    usize,
    *const rdsys::rd_kafka_AdminOptions_t,
    *mut rdsys::rd_kafka_queue_t,
);

/// Starts `call` on `entries` (made into bindings or filters as `kind` says) and waits for
/// its result event.
fn batch_request<C: ClientContext>(
    client: &Client<C>,
    entries: &[AclEntry],
    kind: Kind,
    call: BatchCall,
    timeout: Duration,
) -> Result<Request, AclCallError> {
    let natives = entries
        .iter()
        .map(|entry| NativeBinding::new(entry, kind))
        .collect::<Result<Vec<_>, _>>()?;
    let mut pointers: Vec<*mut rdsys::rd_kafka_AclBinding_t> =
        natives.iter().map(|native| native.0).collect();
    let mut request = Request::new(client, timeout)?;
    // SAFETY: the client, the bindings, the options and the queue are live; `call` is
    // rd_kafka_CreateAcls or rd_kafka_DeleteAcls, which copy the bindings before returning.
    unsafe {
        call(
            client.native_ptr(),
            pointers.as_mut_ptr(),
            pointers.len(),
            request.options,
            request.queue,
        )
    };
    request.wait(timeout)?;
    Ok(request)
}

/// Creates `entries`; one outcome per entry, in order.
pub(crate) fn create_acls<C: ClientContext>(
    client: &Client<C>,
    entries: &[AclEntry],
    timeout: Duration,
) -> Result<Vec<Outcome>, AclCallError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let request = batch_request(
        client,
        entries,
        Kind::Binding,
        rdsys::rd_kafka_CreateAcls,
        timeout,
    )?;
    // SAFETY: `event` is a live result event; a CreateAcls result is what a CreateAcls
    // request answers (checked: a null result means another event).
    let result = unsafe { rdsys::rd_kafka_event_CreateAcls_result(request.event) };
    if result.is_null() {
        return Err(AclCallError::Binding("not a CreateAcls result".into()));
    }
    let mut count = 0;
    // SAFETY: `result` is live for as long as the event; the array holds `count` results.
    let results = unsafe { rdsys::rd_kafka_CreateAcls_result_acls(result, &mut count) };
    (0..count)
        .map(|index| {
            // SAFETY: `index < count`, each result is owned by the live event.
            Ok(unsafe { outcome_of(rdsys::rd_kafka_acl_result_error(*results.add(index))) })
        })
        .collect()
}

/// Every binding the cluster holds.
pub(crate) fn describe_acls<C: ClientContext>(
    client: &Client<C>,
    timeout: Duration,
) -> Result<Vec<AclEntry>, AclCallError> {
    let filter = match_everything()?;
    let mut request = Request::new(client, timeout)?;
    // SAFETY: the client, the filter, the options and the queue are live; librdkafka copies
    // the filter before returning.
    unsafe {
        rdsys::rd_kafka_DescribeAcls(
            client.native_ptr(),
            filter.0,
            request.options,
            request.queue,
        )
    };
    request.wait(timeout)?;
    // SAFETY: as in `create_acls`.
    let result = unsafe { rdsys::rd_kafka_event_DescribeAcls_result(request.event) };
    if result.is_null() {
        return Err(AclCallError::Binding("not a DescribeAcls result".into()));
    }
    let mut count = 0;
    // SAFETY: `result` is live for as long as the event; the array holds `count` bindings.
    let bindings = unsafe { rdsys::rd_kafka_DescribeAcls_result_acls(result, &mut count) };
    // SAFETY: `index < count`, each binding is owned by the live event.
    let mut entries: Vec<AclEntry> = (0..count)
        .map(|index| unsafe { entry_of(*bindings.add(index)) })
        .collect();
    entries.sort();
    Ok(entries)
}

/// Deletes exactly `entries` (each used as a filter that matches only itself); one outcome
/// per entry, in order.
pub(crate) fn delete_acls<C: ClientContext>(
    client: &Client<C>,
    entries: &[AclEntry],
    timeout: Duration,
) -> Result<Vec<Outcome>, AclCallError> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let request = batch_request(
        client,
        entries,
        Kind::Filter,
        rdsys::rd_kafka_DeleteAcls,
        timeout,
    )?;
    // SAFETY: as in `create_acls`.
    let result = unsafe { rdsys::rd_kafka_event_DeleteAcls_result(request.event) };
    if result.is_null() {
        return Err(AclCallError::Binding("not a DeleteAcls result".into()));
    }
    let mut count = 0;
    // SAFETY: `result` is live for as long as the event; the array holds `count` responses.
    let responses = unsafe { rdsys::rd_kafka_DeleteAcls_result_responses(result, &mut count) };
    (0..count)
        .map(|index| {
            // SAFETY: `index < count`, each response is owned by the live event.
            Ok(unsafe {
                outcome_of(rdsys::rd_kafka_DeleteAcls_result_response_error(
                    *responses.add(index),
                ))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> AclEntry {
        AclEntry {
            resource_type: "TOPIC".into(),
            resource_name: "game.combat.events".into(),
            pattern_type: "LITERAL".into(),
            principal: "User:combat-service".into(),
            host: "*".into(),
            operation: "WRITE".into(),
            permission_type: "ALLOW".into(),
        }
    }

    #[test]
    fn a_binding_survives_the_round_trip_through_librdkafka() {
        let binding = NativeBinding::new(&entry(), Kind::Binding).unwrap();
        // SAFETY: `binding` is live.
        assert_eq!(unsafe { entry_of(binding.0) }, entry());
    }

    #[test]
    fn bindings_librdkafka_cannot_express_are_typed_errors() {
        let mut nul = entry();
        nul.principal = "User:a\0b".into();
        assert!(matches!(
            NativeBinding::new(&nul, Kind::Binding),
            Err(AclCallError::Binding(_))
        ));
        let mut unknown = entry();
        unknown.operation = "FLY".into();
        assert!(matches!(
            NativeBinding::new(&unknown, Kind::Binding),
            Err(AclCallError::Binding(_))
        ));
    }
}
