//! The kinds of difference between two schemas, named as Confluent Schema Registry's
//! `Difference.Type`, and which of them a reader tolerates under each policy.

use std::fmt;

/// How strictly content-model changes are judged, as Confluent's `compatibilityPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CompatPolicy {
    /// Confluent's default: adding a property to an open content model, narrowing or
    /// removing `additionalProperties` are incompatible.
    #[default]
    Strict,
    /// Also tolerates those content-model changes.
    Lenient,
}

/// How a reader takes one kind of difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// Every value valid before stays valid.
    Compatible,
    /// Tolerated only under [`CompatPolicy::Lenient`] (content-model changes).
    LenientOnly,
    /// Values valid before may be rejected.
    Breaking,
}

/// The one table of change kinds: each row is the variant, Confluent's name, how a reader takes
/// it, and why. It generates the enum, [`ChangeKind::ALL`], [`ChangeKind::name`],
/// [`ChangeKind::is_compatible`] and [`ChangeKind::explanation`].
macro_rules! change_kinds {
    ($($variant:ident = $name:literal, $verdict:ident, $why:literal;)*) => {
        /// One kind of difference, with Confluent's `Difference.Type` name (see
        /// [`ChangeKind::name`]).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ChangeKind {
            $(
                #[doc = concat!("`", $name, "`: ", $why, ".")]
                $variant,
            )*
        }

        impl ChangeKind {
            /// Every kind, in Confluent's order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant),*];

            /// Confluent's name of the kind, e.g. `"TYPE_NARROWED"`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ChangeKind::$variant => $name,)*
                }
            }

            /// A sentence saying what the change is and why it does (or does not) break a
            /// reader.
            pub const fn explanation(self) -> &'static str {
                match self {
                    $(ChangeKind::$variant => $why,)*
                }
            }

            const fn verdict(self) -> Verdict {
                match self {
                    $(ChangeKind::$variant => Verdict::$verdict,)*
                }
            }
        }
    };
}

change_kinds! {
    IdChanged = "ID_CHANGED", Compatible, "an annotation changed; validation is the same, so no reader is affected";
    DescriptionChanged = "DESCRIPTION_CHANGED", Compatible, "an annotation changed; validation is the same, so no reader is affected";
    TitleChanged = "TITLE_CHANGED", Compatible, "an annotation changed; validation is the same, so no reader is affected";
    DefaultChanged = "DEFAULT_CHANGED", Compatible, "an annotation changed; validation is the same, so no reader is affected";
    SchemaAdded = "SCHEMA_ADDED", Breaking, "a schema now constrains what was unconstrained; values the writer could send may be rejected";
    SchemaRemoved = "SCHEMA_REMOVED", Compatible, "a constraint was removed; every value accepted before is still accepted";
    TypeExtended = "TYPE_EXTENDED", Compatible, "the type was widened (integer to number); every value accepted before is still accepted";
    TypeNarrowed = "TYPE_NARROWED", Breaking, "the type was narrowed (number to integer); a value with a fraction is now rejected";
    TypeChanged = "TYPE_CHANGED", Breaking, "the type changed; values of the old type are rejected";
    MaxLengthAdded = "MAX_LENGTH_ADDED", Breaking, "strings may now be too long; longer values accepted before are rejected";
    MaxLengthRemoved = "MAX_LENGTH_REMOVED", Compatible, "longer strings are accepted; nothing accepted before is rejected";
    MaxLengthIncreased = "MAX_LENGTH_INCREASED", Compatible, "longer strings are accepted; nothing accepted before is rejected";
    MaxLengthDecreased = "MAX_LENGTH_DECREASED", Breaking, "strings may now be too long; longer values accepted before are rejected";
    MinLengthAdded = "MIN_LENGTH_ADDED", Breaking, "strings may now be too short; shorter values accepted before are rejected";
    MinLengthRemoved = "MIN_LENGTH_REMOVED", Compatible, "shorter strings are accepted; nothing accepted before is rejected";
    MinLengthIncreased = "MIN_LENGTH_INCREASED", Breaking, "strings may now be too short; shorter values accepted before are rejected";
    MinLengthDecreased = "MIN_LENGTH_DECREASED", Compatible, "shorter strings are accepted; nothing accepted before is rejected";
    PatternAdded = "PATTERN_ADDED", Breaking, "a pattern now constrains the string; values accepted before may not match";
    PatternRemoved = "PATTERN_REMOVED", Compatible, "the pattern was removed; every string is accepted";
    PatternChanged = "PATTERN_CHANGED", Breaking, "a pattern now constrains the string; values accepted before may not match";
    MaximumAdded = "MAXIMUM_ADDED", Breaking, "the upper bound is tighter; larger values accepted before are rejected";
    MaximumRemoved = "MAXIMUM_REMOVED", Compatible, "the upper bound is looser; nothing accepted before is rejected";
    MaximumIncreased = "MAXIMUM_INCREASED", Compatible, "the upper bound is looser; nothing accepted before is rejected";
    MaximumDecreased = "MAXIMUM_DECREASED", Breaking, "the upper bound is tighter; larger values accepted before are rejected";
    MinimumAdded = "MINIMUM_ADDED", Breaking, "the lower bound is tighter; smaller values accepted before are rejected";
    MinimumRemoved = "MINIMUM_REMOVED", Compatible, "the lower bound is looser; nothing accepted before is rejected";
    MinimumIncreased = "MINIMUM_INCREASED", Breaking, "the lower bound is tighter; smaller values accepted before are rejected";
    MinimumDecreased = "MINIMUM_DECREASED", Compatible, "the lower bound is looser; nothing accepted before is rejected";
    ExclusiveMaximumAdded = "EXCLUSIVE_MAXIMUM_ADDED", Breaking, "the upper bound is tighter; larger values accepted before are rejected";
    ExclusiveMaximumRemoved = "EXCLUSIVE_MAXIMUM_REMOVED", Compatible, "the upper bound is looser; nothing accepted before is rejected";
    ExclusiveMaximumIncreased = "EXCLUSIVE_MAXIMUM_INCREASED", Compatible, "the upper bound is looser; nothing accepted before is rejected";
    ExclusiveMaximumDecreased = "EXCLUSIVE_MAXIMUM_DECREASED", Breaking, "the upper bound is tighter; larger values accepted before are rejected";
    ExclusiveMinimumAdded = "EXCLUSIVE_MINIMUM_ADDED", Breaking, "the lower bound is tighter; smaller values accepted before are rejected";
    ExclusiveMinimumRemoved = "EXCLUSIVE_MINIMUM_REMOVED", Compatible, "the lower bound is looser; nothing accepted before is rejected";
    ExclusiveMinimumIncreased = "EXCLUSIVE_MINIMUM_INCREASED", Breaking, "the lower bound is tighter; smaller values accepted before are rejected";
    ExclusiveMinimumDecreased = "EXCLUSIVE_MINIMUM_DECREASED", Compatible, "the lower bound is looser; nothing accepted before is rejected";
    MultipleOfAdded = "MULTIPLE_OF_ADDED", Breaking, "multipleOf is stricter or different; numbers accepted before may not be multiples";
    MultipleOfRemoved = "MULTIPLE_OF_REMOVED", Compatible, "multipleOf is looser; every number accepted before is still a multiple";
    MultipleOfExpanded = "MULTIPLE_OF_EXPANDED", Breaking, "multipleOf is stricter or different; numbers accepted before may not be multiples";
    MultipleOfReduced = "MULTIPLE_OF_REDUCED", Compatible, "multipleOf is looser; every number accepted before is still a multiple";
    MultipleOfChanged = "MULTIPLE_OF_CHANGED", Breaking, "multipleOf is stricter or different; numbers accepted before may not be multiples";
    RequiredAttributeAdded = "REQUIRED_ATTRIBUTE_ADDED", Breaking, "a property became required; data written without it is rejected";
    RequiredAttributeWithDefaultAdded = "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", Compatible, "a property became required but has a default, which a reader fills in";
    RequiredAttributeRemoved = "REQUIRED_ATTRIBUTE_REMOVED", Compatible, "a property is no longer required; data with or without it is accepted";
    MaxPropertiesAdded = "MAX_PROPERTIES_ADDED", Breaking, "fewer properties are allowed; larger objects accepted before are rejected";
    MaxPropertiesRemoved = "MAX_PROPERTIES_REMOVED", Compatible, "more properties are allowed; nothing accepted before is rejected";
    MaxPropertiesIncreased = "MAX_PROPERTIES_INCREASED", Compatible, "more properties are allowed; nothing accepted before is rejected";
    MaxPropertiesDecreased = "MAX_PROPERTIES_DECREASED", Breaking, "fewer properties are allowed; larger objects accepted before are rejected";
    MinPropertiesAdded = "MIN_PROPERTIES_ADDED", Breaking, "more properties are needed; smaller objects accepted before are rejected";
    MinPropertiesRemoved = "MIN_PROPERTIES_REMOVED", Compatible, "fewer properties are needed; nothing accepted before is rejected";
    MinPropertiesIncreased = "MIN_PROPERTIES_INCREASED", Breaking, "more properties are needed; smaller objects accepted before are rejected";
    MinPropertiesDecreased = "MIN_PROPERTIES_DECREASED", Compatible, "fewer properties are needed; nothing accepted before is rejected";
    AdditionalPropertiesAdded = "ADDITIONAL_PROPERTIES_ADDED", Compatible, "undeclared properties are accepted more widely; nothing accepted before is rejected";
    AdditionalPropertiesRemoved = "ADDITIONAL_PROPERTIES_REMOVED", LenientOnly, "undeclared properties are restricted; data carrying them is rejected";
    AdditionalPropertiesExtended = "ADDITIONAL_PROPERTIES_EXTENDED", Compatible, "undeclared properties are accepted more widely; nothing accepted before is rejected";
    AdditionalPropertiesNarrowed = "ADDITIONAL_PROPERTIES_NARROWED", LenientOnly, "undeclared properties are restricted; data carrying them is rejected";
    DependencyArrayAdded = "DEPENDENCY_ARRAY_ADDED", Breaking, "a property now requires others; data without them is rejected";
    DependencyArrayRemoved = "DEPENDENCY_ARRAY_REMOVED", Compatible, "a dependency was relaxed; nothing accepted before is rejected";
    DependencyArrayExtended = "DEPENDENCY_ARRAY_EXTENDED", Breaking, "a property now requires others; data without them is rejected";
    DependencyArrayNarrowed = "DEPENDENCY_ARRAY_NARROWED", Compatible, "a dependency was relaxed; nothing accepted before is rejected";
    DependencyArrayChanged = "DEPENDENCY_ARRAY_CHANGED", Breaking, "a property now requires others; data without them is rejected";
    DependencySchemaAdded = "DEPENDENCY_SCHEMA_ADDED", Breaking, "a property now brings a schema to satisfy; data accepted before may not";
    DependencySchemaRemoved = "DEPENDENCY_SCHEMA_REMOVED", Compatible, "a dependency was relaxed; nothing accepted before is rejected";
    PropertyAddedToOpenContentModel = "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", LenientOnly, "a property was declared in an open content model; old data may already carry that name with another type";
    RequiredPropertyAddedToOpenContentModel = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", Breaking, "a property was declared in an open content model; old data may already carry that name with another type";
    RequiredPropertyWithDefaultAddedToOpenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", LenientOnly, "a property was declared in an open content model; old data may already carry that name with another type";
    OptionalPropertyAddedToOpenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", LenientOnly, "a property was declared in an open content model; old data may already carry that name with another type";
    PropertyWithEmptySchemaAddedToOpenContentModel = "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", Compatible, "a property that accepts anything was declared; nothing accepted before is rejected";
    RequiredPropertyAddedToUnopenContentModel = "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", Breaking, "a required property was added; data written without it is rejected";
    RequiredPropertyWithDefaultAddedToUnopenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", Compatible, "a required property with a default was added; a reader fills in the default";
    OptionalPropertyAddedToUnopenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", Compatible, "an optional property was added to a closed content model; old data never carries it";
    PropertyRemovedFromOpenContentModel = "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", Compatible, "a property was removed from an open content model, which still accepts it";
    PropertyWithFalseRemovedFromClosedContentModel = "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", Compatible, "a forbidden property was removed; it stays forbidden";
    PropertyRemovedFromClosedContentModel = "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", Breaking, "a property was removed from a closed content model; data that carries it is rejected";
    PropertyRemovedIsCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Compatible, "a property or item was removed but the additional schema still accepts its values";
    PropertyRemovedNotCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", LenientOnly, "a property or item was removed and the additional schema does not accept its values";
    PropertyAddedIsCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Compatible, "a property or item was declared and accepts everything the additional schema accepted";
    PropertyAddedNotCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", LenientOnly, "a property or item was declared narrower than the additional schema that covered it; old values may be rejected";
    MaxItemsAdded = "MAX_ITEMS_ADDED", Breaking, "fewer items are allowed; longer arrays accepted before are rejected";
    MaxItemsRemoved = "MAX_ITEMS_REMOVED", Compatible, "more items are allowed; nothing accepted before is rejected";
    MaxItemsIncreased = "MAX_ITEMS_INCREASED", Compatible, "more items are allowed; nothing accepted before is rejected";
    MaxItemsDecreased = "MAX_ITEMS_DECREASED", Breaking, "fewer items are allowed; longer arrays accepted before are rejected";
    MinItemsAdded = "MIN_ITEMS_ADDED", Breaking, "more items are needed; shorter arrays accepted before are rejected";
    MinItemsRemoved = "MIN_ITEMS_REMOVED", Compatible, "fewer items are needed; nothing accepted before is rejected";
    MinItemsIncreased = "MIN_ITEMS_INCREASED", Breaking, "more items are needed; shorter arrays accepted before are rejected";
    MinItemsDecreased = "MIN_ITEMS_DECREASED", Compatible, "fewer items are needed; nothing accepted before is rejected";
    UniqueItemsAdded = "UNIQUE_ITEMS_ADDED", Breaking, "items must now be unique; arrays with repeats are rejected";
    UniqueItemsRemoved = "UNIQUE_ITEMS_REMOVED", Compatible, "items may now repeat; nothing accepted before is rejected";
    AdditionalItemsAdded = "ADDITIONAL_ITEMS_ADDED", Compatible, "more trailing items are accepted; nothing accepted before is rejected";
    AdditionalItemsRemoved = "ADDITIONAL_ITEMS_REMOVED", Breaking, "trailing items are restricted; longer arrays accepted before are rejected";
    AdditionalItemsExtended = "ADDITIONAL_ITEMS_EXTENDED", Compatible, "more trailing items are accepted; nothing accepted before is rejected";
    AdditionalItemsNarrowed = "ADDITIONAL_ITEMS_NARROWED", Breaking, "trailing items are restricted; longer arrays accepted before are rejected";
    ItemAddedToOpenContentModel = "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", Breaking, "a tuple position was declared in an open tuple; old data may hold another type there";
    ItemWithEmptySchemaAddedToOpenContentModel = "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", Compatible, "a tuple position that accepts anything was declared";
    ItemAddedToClosedContentModel = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", Compatible, "a tuple position was added to a closed tuple; old data never has it";
    ItemRemovedFromOpenContentModel = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", Compatible, "a tuple position was removed; the open tuple still accepts it";
    ItemWithFalseRemovedFromClosedContentModel = "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", Compatible, "a forbidden tuple position was removed; it stays forbidden";
    ItemRemovedFromClosedContentModel = "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", Breaking, "a tuple position was removed from a closed tuple; data that has it is rejected";
    ItemRemovedIsCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Compatible, "a property or item was removed but the additional schema still accepts its values";
    ItemRemovedNotCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Breaking, "a property or item was removed and the additional schema does not accept its values";
    ItemAddedIsCoveredByPartiallyOpenContentModel = "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Compatible, "a property or item was declared and accepts everything the additional schema accepted";
    ItemAddedNotCoveredByPartiallyOpenContentModel = "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", Breaking, "a property or item was declared narrower than the additional schema that covered it; old values may be rejected";
    EnumArrayExtended = "ENUM_ARRAY_EXTENDED", Compatible, "values were added to the enum; every value accepted before is still accepted";
    EnumArrayNarrowed = "ENUM_ARRAY_NARROWED", Breaking, "values were removed from the enum (or const); data holding them is rejected";
    EnumArrayChanged = "ENUM_ARRAY_CHANGED", Breaking, "values were removed from the enum (or const); data holding them is rejected";
    CombinedTypeExtended = "COMBINED_TYPE_EXTENDED", Compatible, "the combination was loosened (to anyOf, or from a single subschema)";
    CombinedTypeChanged = "COMBINED_TYPE_CHANGED", Breaking, "the combination criterion changed (allOf, anyOf, oneOf); values accepted before may be rejected";
    ProductTypeExtended = "PRODUCT_TYPE_EXTENDED", Breaking, "allOf gained a subschema; values must satisfy one more schema";
    ProductTypeNarrowed = "PRODUCT_TYPE_NARROWED", Compatible, "allOf lost a subschema; values have one schema less to satisfy";
    SumTypeExtended = "SUM_TYPE_EXTENDED", Compatible, "a union gained an alternative; every value accepted before is still accepted";
    SumTypeNarrowed = "SUM_TYPE_NARROWED", Breaking, "a union lost an alternative; values matching only that one are rejected";
    CombinedTypeSubschemasChanged = "COMBINED_TYPE_SUBSCHEMAS_CHANGED", Breaking, "the subschemas of a combination changed so that old values may match none";
    NotTypeExtended = "NOT_TYPE_EXTENDED", Breaking, "`not` excludes more; values accepted before may now be excluded";
    NotTypeNarrowed = "NOT_TYPE_NARROWED", Compatible, "`not` excludes less; nothing accepted before is rejected";
    // kafka-events' own kinds, for keywords Confluent's diff does not compare (reported
    // unless `confluent_quirks` asks for Confluent's blind spots).
    PropertyNamesAdded = "PROPERTY_NAMES_ADDED", Breaking, "property names are now constrained; objects with other names are rejected";
    PropertyNamesRemoved = "PROPERTY_NAMES_REMOVED", Compatible, "property names are no longer constrained; nothing accepted before is rejected";
    PatternPropertyAdded = "PATTERN_PROPERTY_ADDED", Breaking, "properties whose names match a new pattern must now match its schema; old data may not";
    PatternPropertyRemovedFromOpenContentModel = "PATTERN_PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", Compatible, "a pattern was removed from an open content model, which accepts those properties as they are";
    PatternPropertyRemovedFromClosedContentModel = "PATTERN_PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", Breaking, "a pattern was removed; properties it accepted now fall to a stricter rest and may be rejected";
    OneOfExtended = "ONE_OF_EXTENDED", Breaking, "oneOf gained a subschema that may overlap the others; a value matching two of them is rejected";
    ContainsAdded = "CONTAINS_ADDED", Breaking, "arrays must now contain a matching item; arrays without one are rejected";
    ContainsRemoved = "CONTAINS_REMOVED", Compatible, "arrays need no longer contain a matching item; nothing accepted before is rejected";
    ContainsChanged = "CONTAINS_CHANGED", Breaking, "the schema counted by maxContains changed; arrays may now hold too many matching items";
    MinContainsIncreased = "MIN_CONTAINS_INCREASED", Breaking, "more matching items are needed; arrays accepted before may have too few";
    MinContainsDecreased = "MIN_CONTAINS_DECREASED", Compatible, "fewer matching items are needed; nothing accepted before is rejected";
    MaxContainsAdded = "MAX_CONTAINS_ADDED", Breaking, "fewer matching items are allowed; arrays accepted before may have too many";
    MaxContainsRemoved = "MAX_CONTAINS_REMOVED", Compatible, "more matching items are allowed; nothing accepted before is rejected";
    MaxContainsIncreased = "MAX_CONTAINS_INCREASED", Compatible, "more matching items are allowed; nothing accepted before is rejected";
    MaxContainsDecreased = "MAX_CONTAINS_DECREASED", Breaking, "fewer matching items are allowed; arrays accepted before may have too many";
    PiiTagAdded = "PII_TAG_ADDED", Compatible, "a field became personal data (`confluent:tags: [PII]`); a reader of the new schema reads old clear values as they are";
    PiiTagRemoved = "PII_TAG_REMOVED", Breaking, "a field is no longer personal data; a reader of the new schema would take old encrypted values for clear text";
}

impl ChangeKind {
    /// The kind named `name` (Confluent's spelling).
    pub fn from_name(name: &str) -> Option<ChangeKind> {
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }

    /// Whether a reader tolerates this change under `policy`: every value valid under the
    /// writer's schema stays readable.
    pub const fn is_compatible(self, policy: CompatPolicy) -> bool {
        match self.verdict() {
            Verdict::Compatible => true,
            Verdict::LenientOnly => matches!(policy, CompatPolicy::Lenient),
            Verdict::Breaking => false,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
