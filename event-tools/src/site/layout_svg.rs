//! The picture of an event's memory layout: its binary record's fields as bars by offset and
//! size, in declaration order above layout order, padding shaded, the size of each, and the
//! example's whole record against the 256-byte target.

use std::fmt::Write as _;

use event_core::binary::{repr_c_offsets, BinaryField};

use super::html::escape;
use crate::layout_report::RECORD_BUDGET;

/// Drawing width of the bars, in SVG units.
const BAR_WIDTH: f64 = 640.0;
/// Left margin.
const LEFT: f64 = 16.0;
/// Height of a bar.
const BAR_HEIGHT: f64 = 28.0;

/// One bar: the fields in an order, where each starts and the struct's size.
struct Bar<'a> {
    label: &'a str,
    fields: Vec<&'a BinaryField>,
    offsets: Vec<usize>,
    size: usize,
}

impl<'a> Bar<'a> {
    fn new(label: &'a str, fields: Vec<&'a BinaryField>) -> Self {
        let (offsets, size) =
            repr_c_offsets(fields.iter().map(|f| (f.archived_size, f.archived_align)));
        Bar {
            label,
            fields,
            offsets,
            size,
        }
    }

    /// `(start, length)` of every gap: between fields and at the end.
    fn padding(&self) -> Vec<(usize, usize)> {
        let mut gaps = Vec::new();
        let mut end = 0;
        for (field, &offset) in self.fields.iter().zip(&self.offsets) {
            if offset > end {
                gaps.push((end, offset - end));
            }
            end = offset + field.archived_size;
        }
        if self.size > end {
            gaps.push((end, self.size - end));
        }
        gaps
    }
}

/// The SVG of one event's layout. `fields` are in declaration order, `order` their layout
/// order (indices into `fields`), `record_bytes` the size of the example's binary record.
pub fn layout_svg(
    event_type: &str,
    fields: &[BinaryField],
    order: &[usize],
    record_bytes: usize,
) -> String {
    let declared = Bar::new("declaration order", fields.iter().collect());
    let layout = Bar::new(
        "layout order (what is written)",
        order.iter().filter_map(|&i| fields.get(i)).collect(),
    );
    let widest = declared.size.max(layout.size).max(1) as f64;
    let scale = BAR_WIDTH / widest;
    let height = 250.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"layout\" role=\"img\" aria-labelledby=\"layout-title layout-desc\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n\
         <title id=\"layout-title\">Memory layout of {name}</title>\n\
         <desc id=\"layout-desc\">The archived data record is {d} bytes in declaration order and \
         {l} bytes in layout order; the example's whole binary record is {r} bytes against the \
         {budget}-byte target.</desc>\n\
         <defs><pattern id=\"padding\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/>\
         <line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8a8a8a\" stroke-width=\"2\"/>\
         </pattern></defs>\n",
        width = BAR_WIDTH + 2.0 * LEFT,
        name = escape(event_type),
        d = declared.size,
        l = layout.size,
        r = record_bytes,
        budget = RECORD_BUDGET,
    );
    for (row, bar) in [&declared, &layout].into_iter().enumerate() {
        draw_bar(&mut out, bar, 20.0 + row as f64 * 70.0, scale);
    }
    draw_record(&mut out, record_bytes, 180.0);
    out.push_str("</svg>\n");
    out
}

fn draw_bar(out: &mut String, bar: &Bar<'_>, top: f64, scale: f64) {
    let padding: usize = bar.padding().iter().map(|(_, length)| length).sum();
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" class=\"label\">{}: {} bytes, {} of padding</text>",
        top + 12.0,
        escape(bar.label),
        bar.size,
        padding
    );
    let y = top + 18.0;
    for (i, (field, &offset)) in bar.fields.iter().zip(&bar.offsets).enumerate() {
        let (x, width) = (
            LEFT + offset as f64 * scale,
            field.archived_size as f64 * scale,
        );
        let _ = write!(
            out,
            "<g><title>{name}: bytes {offset}–{end} ({size} bytes, aligned to {align})</title>\
             <rect x=\"{x:.1}\" y=\"{y}\" width=\"{width:.1}\" height=\"{BAR_HEIGHT}\" \
             class=\"field f{parity}\"/>",
            name = escape(field.name),
            end = offset + field.archived_size,
            size = field.archived_size,
            align = field.archived_align,
            parity = i % 2,
        );
        // A name is written in its bar when it fits (about 6.5 units a character).
        if width >= field.name.len() as f64 * 6.5 + 6.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\" class=\"name\">{}</text>",
                x + 3.0,
                y + 18.0,
                escape(field.name)
            );
        }
        out.push_str("</g>\n");
    }
    for (start, length) in bar.padding() {
        let _ = writeln!(
            out,
            "<g><title>padding: bytes {start}–{} ({length} bytes)</title><rect x=\"{:.1}\" \
             y=\"{y}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\" fill=\"url(#padding)\" \
             class=\"padding\"/></g>",
            start + length,
            LEFT + start as f64 * scale,
            length as f64 * scale,
        );
    }
}

fn draw_record(out: &mut String, record_bytes: usize, top: f64) {
    let widest = record_bytes.max(RECORD_BUDGET) as f64;
    let scale = BAR_WIDTH / widest;
    let verdict = if record_bytes <= RECORD_BUDGET {
        "within"
    } else {
        "over"
    };
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"{}\" class=\"label\">binary record of the example: {record_bytes} \
         bytes, {verdict} the {RECORD_BUDGET}-byte target</text>",
        top + 12.0
    );
    let y = top + 18.0;
    let _ = writeln!(
        out,
        "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\" class=\"record {verdict}\"/>",
        record_bytes as f64 * scale
    );
    let target = LEFT + RECORD_BUDGET as f64 * scale;
    let _ = writeln!(
        out,
        "<line x1=\"{target:.1}\" y1=\"{}\" x2=\"{target:.1}\" y2=\"{}\" class=\"target\"/>",
        y - 4.0,
        y + BAR_HEIGHT + 4.0
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &'static str, size: usize) -> BinaryField {
        BinaryField {
            name,
            size,
            align: size,
            archived_size: size,
            archived_align: size,
            variable: false,
        }
    }

    #[test]
    fn padding_is_found_between_and_after_fields() {
        let fields = [field("flag", 1), field("count", 8), field("done", 1)];
        let declared = Bar::new("d", fields.iter().collect());
        assert_eq!(declared.offsets, [0, 8, 16]);
        assert_eq!(declared.size, 24);
        assert_eq!(declared.padding(), [(1, 7), (17, 7)]);
        let layout = Bar::new("l", [1, 0, 2].iter().map(|&i| &fields[i]).collect());
        assert_eq!(layout.size, 16);
        assert_eq!(layout.padding(), [(10, 6)]);
    }

    #[test]
    fn the_picture_states_both_sizes_and_the_record_against_its_target() {
        let fields = [field("flag", 1), field("count", 8), field("done", 1)];
        let svg = layout_svg("a.b.c", &fields, &[1, 0, 2], 300);
        assert!(
            svg.contains("declaration order: 24 bytes, 14 of padding"),
            "{svg}"
        );
        assert!(svg.contains("layout order (what is written): 16 bytes, 6 of padding"));
        assert!(svg.contains("300 bytes, over the 256-byte target"));
        assert!(svg.contains("<title>count: bytes 8–16 (8 bytes, aligned to 8)</title>"));
        assert_eq!(svg.matches("class=\"padding\"").count(), 3);
    }
}
