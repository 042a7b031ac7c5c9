//! What the producer keeps per event type once it has sent one: the topic with the producer's
//! suffix, the record options, the personal fields, the metrics handles and what a detached
//! record carries to its delivery report. A record then costs one map lookup for all of them
//! instead of one per concern, and a detached record shares its report instead of allocating
//! one.

use std::borrow::Cow;
use std::sync::Arc;

use event_core::codec::RecordOptions;

use crate::by_event_type::ByEventType;
use crate::delivery::{Awaiting, DeliveryReport};
use crate::personal::EventFields;

/// Where an event type's records go and how they are counted.
pub(crate) struct Route {
    /// How its records are written (the wire format the producer chose for it).
    pub(crate) options: RecordOptions,
    /// Its personal fields and topic in the catalog.
    pub(crate) fields: Arc<EventFields>,
    /// Its topic (with the producer's suffix) and metrics.
    pub(crate) report: DeliveryReport,
    /// What each of its detached records carries to its delivery report: the same report,
    /// shared.
    pub(crate) detached: Arc<Awaiting>,
}

impl Route {
    /// The route of the event type whose personal fields are `fields`.
    pub(crate) fn new(
        options: RecordOptions,
        fields: Arc<EventFields>,
        report: DeliveryReport,
    ) -> Self {
        let detached = Arc::new(Awaiting::Detached(report.clone()));
        Route {
            options,
            fields,
            report,
            detached,
        }
    }

    /// The topic its records are written to.
    pub(crate) fn topic(&self) -> &Cow<'static, str> {
        &self.report.topic
    }
}

/// A producer's routes by event type, each made at its type's first send.
pub(crate) type Routes = ByEventType<Route>;
