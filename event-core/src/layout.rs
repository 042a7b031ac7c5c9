//! Memory-layout order of fields: the specification's "Level 3" rule.
//!
//! Large and variable-length values first (strings, arrays, maps, nested records), then
//! fixed-size values by descending alignment and size, booleans last; ties keep declaration
//! order. The derive evaluates [`layout_order`] in a `const` block, so sizes of user types come
//! from `core::mem::size_of`/`align_of` at compile time and nothing is computed at run time.

use crate::EventSchema;

/// The size class of a type for layout ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayoutClass {
    /// Strings, sequences, maps, nested records: placed first.
    Variable,
    /// Fixed-size scalars and arrays: placed next, by descending alignment then size.
    Fixed,
    /// Booleans: placed last.
    Bool,
}

impl LayoutClass {
    const fn rank(self) -> u8 {
        match self {
            LayoutClass::Variable => 0,
            LayoutClass::Fixed => 1,
            LayoutClass::Bool => 2,
        }
    }
}

/// What the layout rule needs to know about one field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldLayout {
    /// The size class.
    pub class: LayoutClass,
    /// `size_of` the Rust type.
    pub size: usize,
    /// `align_of` the Rust type.
    pub align: usize,
}

impl FieldLayout {
    /// The layout facts of `T`, usable in `const` evaluation.
    ///
    /// ```
    /// use event_core::layout::{FieldLayout, LayoutClass};
    /// const U64: FieldLayout = FieldLayout::of::<u64>();
    /// assert_eq!((U64.class, U64.size, U64.align), (LayoutClass::Fixed, 8, 8));
    /// ```
    pub const fn of<T: EventSchema>() -> Self {
        FieldLayout {
            class: T::LAYOUT_CLASS,
            size: core::mem::size_of::<T>(),
            align: core::mem::align_of::<T>(),
        }
    }

    /// The layout rule as an ordering, for a stable sort at run time (code generators for
    /// other languages apply it to their own sizes).
    ///
    /// ```
    /// use event_core::layout::{FieldLayout, LayoutClass};
    /// let flag = FieldLayout { class: LayoutClass::Bool, size: 1, align: 1 };
    /// let count = FieldLayout { class: LayoutClass::Fixed, size: 8, align: 8 };
    /// assert!(count.layout_cmp(&flag).is_lt());
    /// ```
    pub fn layout_cmp(&self, other: &FieldLayout) -> std::cmp::Ordering {
        if self.goes_before(other) {
            std::cmp::Ordering::Less
        } else if other.goes_before(self) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }

    /// Whether `self` goes strictly before `other` in layout order.
    const fn goes_before(&self, other: &FieldLayout) -> bool {
        let (a, b) = (self.class.rank(), other.class.rank());
        if a != b {
            return a < b;
        }
        if self.align != other.align {
            return self.align > other.align;
        }
        self.size > other.size
    }
}

/// The declaration indices of `fields`, sorted into layout order (a stable sort, so ties keep
/// declaration order).
///
/// ```
/// use event_core::layout::{layout_order, FieldLayout};
/// // declared as { flag: bool, count: u64, name: String }
/// const ORDER: [usize; 3] = layout_order([
///     FieldLayout::of::<bool>(),
///     FieldLayout::of::<u64>(),
///     FieldLayout::of::<String>(),
/// ]);
/// assert_eq!(ORDER, [2, 1, 0]);
/// ```
pub const fn layout_order<const N: usize>(fields: [FieldLayout; N]) -> [usize; N] {
    let mut order = [0usize; N];
    let mut i = 0;
    while i < N {
        order[i] = i;
        i += 1;
    }
    // Insertion sort: stable, and simple enough for const evaluation.
    let mut sorted = 1;
    while sorted < N {
        let mut j = sorted;
        while j > 0 && fields[order[j]].goes_before(&fields[order[j - 1]]) {
            let swap = order[j];
            order[j] = order[j - 1];
            order[j - 1] = swap;
            j -= 1;
        }
        sorted += 1;
    }
    order
}

/// The inverse of a permutation: `inverse[order[k]] == k`.
///
/// ```
/// use event_core::layout::inverse_order;
/// assert_eq!(inverse_order([2, 0, 1]), [1, 2, 0]);
/// ```
pub const fn inverse_order<const N: usize>(order: [usize; N]) -> [usize; N] {
    let mut inverse = [0usize; N];
    let mut k = 0;
    while k < N {
        inverse[order[k]] = k;
        k += 1;
    }
    inverse
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_keep_declaration_order() {
        let order = layout_order([
            FieldLayout::of::<u32>(),
            FieldLayout::of::<String>(),
            FieldLayout::of::<i32>(),
            FieldLayout::of::<Vec<u8>>(),
            FieldLayout::of::<bool>(),
            FieldLayout::of::<u8>(),
            FieldLayout::of::<u64>(),
        ]);
        assert_eq!(order, [1, 3, 6, 0, 2, 5, 4]);
    }

    #[test]
    fn empty_and_single_field_orders() {
        assert_eq!(layout_order::<0>([]), [0usize; 0]);
        assert_eq!(layout_order([FieldLayout::of::<bool>()]), [0]);
    }
}
