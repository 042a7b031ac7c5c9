//! The layout report: for every event, its fields in layout order with size and alignment, the
//! archived size in declaration order against layout order, the padding saved, and the binary
//! record size of its example, next to the specification's 256-byte target.

use event_core::binary::{repr_c_size, BinaryField, BinaryLayout};
use serde::Serialize;

use crate::catalog::CatalogEvent;

/// The specification's target for one binary record.
pub const RECORD_BUDGET: usize = 256;

/// One field in layout order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    /// Wire name.
    pub name: &'static str,
    /// Rust `size_of`.
    pub size: usize,
    /// Rust `align_of`.
    pub align: usize,
    /// Archived `size_of`.
    pub archived_size: usize,
    /// Archived `align_of`.
    pub archived_align: usize,
}

/// The layout facts of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventLayout {
    /// `domain.entity.action`.
    pub event_type: &'static str,
    /// Fields in layout order.
    pub fields: Vec<FieldRow>,
    /// Archived size of the event's record if fields kept declaration order.
    pub archived_size_declared: usize,
    /// Archived size in layout order (what is written).
    pub archived_size_layout: usize,
    /// Bytes of padding layout order saves.
    pub padding_saved: usize,
    /// Size of the example's whole binary record (envelope included).
    pub record_bytes: usize,
    /// Whether the record fits [`RECORD_BUDGET`].
    pub within_budget: bool,
    /// Why it does not fit, when it does not.
    pub reason: Option<String>,
}

/// The layout of one catalog event, or `None` when it has no binary form (`#[event(binary)]`).
pub fn event_layout(event: &CatalogEvent) -> Result<Option<EventLayout>, String> {
    let (Some(layout), Some(record_bytes)) = ((event.binary_layout)(), (event.binary_round_trip)())
    else {
        return Ok(None);
    };
    let BinaryLayout {
        fields,
        order,
        fixed_envelope,
    } = layout;
    let record_bytes = record_bytes?;
    let archived = |f: &BinaryField| (f.archived_size, f.archived_align);
    let declared = repr_c_size(fields.iter().map(archived));
    let ordered = repr_c_size(order.iter().filter_map(|&i| fields.get(i)).map(archived));
    let within_budget = record_bytes <= RECORD_BUDGET;
    let reason = (!within_budget).then(|| {
        // out of line: variable-length values whose archived form is smaller than the Rust one
        // (a relative pointer and a length), i.e. strings, sequences and maps
        let variable: Vec<&str> =
            fields.iter().filter(|f| f.variable && f.archived_size < f.size).map(|f| f.name).collect();
        format!(
            "the fixed record is {fixed_envelope} bytes; the other {} bytes are the example's variable-length values ({}), which no field order can shrink",
            record_bytes - fixed_envelope.min(record_bytes),
            variable.join(", ")
        )
    });
    Ok(Some(EventLayout {
        event_type: event.event_type(),
        fields: order
            .iter()
            .filter_map(|&i| fields.get(i))
            .map(|f| FieldRow {
                name: f.name,
                size: f.size,
                align: f.align,
                archived_size: f.archived_size,
                archived_align: f.archived_align,
            })
            .collect(),
        archived_size_declared: declared,
        archived_size_layout: ordered,
        padding_saved: declared.saturating_sub(ordered),
        record_bytes,
        within_budget,
        reason,
    }))
}

/// The report as a text table, then the events without a binary form by name.
pub fn render(layouts: &[EventLayout], json_only: &[&str]) -> String {
    let mut out = String::new();
    for layout in layouts {
        out.push_str(&format!(
            "{}: record {} bytes ({}), archived data {} bytes in layout order vs {} declared (saves {})\n",
            layout.event_type,
            layout.record_bytes,
            if layout.within_budget { "within 256" } else { "OVER 256" },
            layout.archived_size_layout,
            layout.archived_size_declared,
            layout.padding_saved,
        ));
        out.push_str("    field                      size align  archived size align\n");
        for field in &layout.fields {
            out.push_str(&format!(
                "    {:<26} {:>4} {:>5}  {:>13} {:>5}\n",
                field.name, field.size, field.align, field.archived_size, field.archived_align
            ));
        }
        if let Some(reason) = &layout.reason {
            out.push_str(&format!("    over budget: {reason}\n"));
        }
    }
    if !json_only.is_empty() {
        out.push_str(&format!(
            "no binary form (JSON only; `#[event(binary)]` derives one): {}\n",
            json_only.join(", ")
        ));
    }
    out
}
