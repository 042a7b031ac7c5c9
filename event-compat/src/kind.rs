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

/// One kind of difference, with Confluent's `Difference.Type` name (see [`ChangeKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    /// `ID_CHANGED`
    IdChanged,
    /// `DESCRIPTION_CHANGED`
    DescriptionChanged,
    /// `TITLE_CHANGED`
    TitleChanged,
    /// `DEFAULT_CHANGED`
    DefaultChanged,
    /// `SCHEMA_ADDED`
    SchemaAdded,
    /// `SCHEMA_REMOVED`
    SchemaRemoved,
    /// `TYPE_EXTENDED`
    TypeExtended,
    /// `TYPE_NARROWED`
    TypeNarrowed,
    /// `TYPE_CHANGED`
    TypeChanged,
    /// `MAX_LENGTH_ADDED`
    MaxLengthAdded,
    /// `MAX_LENGTH_REMOVED`
    MaxLengthRemoved,
    /// `MAX_LENGTH_INCREASED`
    MaxLengthIncreased,
    /// `MAX_LENGTH_DECREASED`
    MaxLengthDecreased,
    /// `MIN_LENGTH_ADDED`
    MinLengthAdded,
    /// `MIN_LENGTH_REMOVED`
    MinLengthRemoved,
    /// `MIN_LENGTH_INCREASED`
    MinLengthIncreased,
    /// `MIN_LENGTH_DECREASED`
    MinLengthDecreased,
    /// `PATTERN_ADDED`
    PatternAdded,
    /// `PATTERN_REMOVED`
    PatternRemoved,
    /// `PATTERN_CHANGED`
    PatternChanged,
    /// `MAXIMUM_ADDED`
    MaximumAdded,
    /// `MAXIMUM_REMOVED`
    MaximumRemoved,
    /// `MAXIMUM_INCREASED`
    MaximumIncreased,
    /// `MAXIMUM_DECREASED`
    MaximumDecreased,
    /// `MINIMUM_ADDED`
    MinimumAdded,
    /// `MINIMUM_REMOVED`
    MinimumRemoved,
    /// `MINIMUM_INCREASED`
    MinimumIncreased,
    /// `MINIMUM_DECREASED`
    MinimumDecreased,
    /// `EXCLUSIVE_MAXIMUM_ADDED`
    ExclusiveMaximumAdded,
    /// `EXCLUSIVE_MAXIMUM_REMOVED`
    ExclusiveMaximumRemoved,
    /// `EXCLUSIVE_MAXIMUM_INCREASED`
    ExclusiveMaximumIncreased,
    /// `EXCLUSIVE_MAXIMUM_DECREASED`
    ExclusiveMaximumDecreased,
    /// `EXCLUSIVE_MINIMUM_ADDED`
    ExclusiveMinimumAdded,
    /// `EXCLUSIVE_MINIMUM_REMOVED`
    ExclusiveMinimumRemoved,
    /// `EXCLUSIVE_MINIMUM_INCREASED`
    ExclusiveMinimumIncreased,
    /// `EXCLUSIVE_MINIMUM_DECREASED`
    ExclusiveMinimumDecreased,
    /// `MULTIPLE_OF_ADDED`
    MultipleOfAdded,
    /// `MULTIPLE_OF_REMOVED`
    MultipleOfRemoved,
    /// `MULTIPLE_OF_EXPANDED`
    MultipleOfExpanded,
    /// `MULTIPLE_OF_REDUCED`
    MultipleOfReduced,
    /// `MULTIPLE_OF_CHANGED`
    MultipleOfChanged,
    /// `REQUIRED_ATTRIBUTE_ADDED`
    RequiredAttributeAdded,
    /// `REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED`
    RequiredAttributeWithDefaultAdded,
    /// `REQUIRED_ATTRIBUTE_REMOVED`
    RequiredAttributeRemoved,
    /// `MAX_PROPERTIES_ADDED`
    MaxPropertiesAdded,
    /// `MAX_PROPERTIES_REMOVED`
    MaxPropertiesRemoved,
    /// `MAX_PROPERTIES_INCREASED`
    MaxPropertiesIncreased,
    /// `MAX_PROPERTIES_DECREASED`
    MaxPropertiesDecreased,
    /// `MIN_PROPERTIES_ADDED`
    MinPropertiesAdded,
    /// `MIN_PROPERTIES_REMOVED`
    MinPropertiesRemoved,
    /// `MIN_PROPERTIES_INCREASED`
    MinPropertiesIncreased,
    /// `MIN_PROPERTIES_DECREASED`
    MinPropertiesDecreased,
    /// `ADDITIONAL_PROPERTIES_ADDED`
    AdditionalPropertiesAdded,
    /// `ADDITIONAL_PROPERTIES_REMOVED`
    AdditionalPropertiesRemoved,
    /// `ADDITIONAL_PROPERTIES_EXTENDED`
    AdditionalPropertiesExtended,
    /// `ADDITIONAL_PROPERTIES_NARROWED`
    AdditionalPropertiesNarrowed,
    /// `DEPENDENCY_ARRAY_ADDED`
    DependencyArrayAdded,
    /// `DEPENDENCY_ARRAY_REMOVED`
    DependencyArrayRemoved,
    /// `DEPENDENCY_ARRAY_EXTENDED`
    DependencyArrayExtended,
    /// `DEPENDENCY_ARRAY_NARROWED`
    DependencyArrayNarrowed,
    /// `DEPENDENCY_ARRAY_CHANGED`
    DependencyArrayChanged,
    /// `DEPENDENCY_SCHEMA_ADDED`
    DependencySchemaAdded,
    /// `DEPENDENCY_SCHEMA_REMOVED`
    DependencySchemaRemoved,
    /// `PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`
    PropertyAddedToOpenContentModel,
    /// `REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`
    RequiredPropertyAddedToOpenContentModel,
    /// `REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL`
    RequiredPropertyWithDefaultAddedToOpenContentModel,
    /// `OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`
    OptionalPropertyAddedToOpenContentModel,
    /// `PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL`
    PropertyWithEmptySchemaAddedToOpenContentModel,
    /// `REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL`
    RequiredPropertyAddedToUnopenContentModel,
    /// `REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL`
    RequiredPropertyWithDefaultAddedToUnopenContentModel,
    /// `OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL`
    OptionalPropertyAddedToUnopenContentModel,
    /// `PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL`
    PropertyRemovedFromOpenContentModel,
    /// `PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL`
    PropertyWithFalseRemovedFromClosedContentModel,
    /// `PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL`
    PropertyRemovedFromClosedContentModel,
    /// `PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    PropertyRemovedIsCoveredByPartiallyOpenContentModel,
    /// `PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    PropertyRemovedNotCoveredByPartiallyOpenContentModel,
    /// `PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    PropertyAddedIsCoveredByPartiallyOpenContentModel,
    /// `PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    PropertyAddedNotCoveredByPartiallyOpenContentModel,
    /// `MAX_ITEMS_ADDED`
    MaxItemsAdded,
    /// `MAX_ITEMS_REMOVED`
    MaxItemsRemoved,
    /// `MAX_ITEMS_INCREASED`
    MaxItemsIncreased,
    /// `MAX_ITEMS_DECREASED`
    MaxItemsDecreased,
    /// `MIN_ITEMS_ADDED`
    MinItemsAdded,
    /// `MIN_ITEMS_REMOVED`
    MinItemsRemoved,
    /// `MIN_ITEMS_INCREASED`
    MinItemsIncreased,
    /// `MIN_ITEMS_DECREASED`
    MinItemsDecreased,
    /// `UNIQUE_ITEMS_ADDED`
    UniqueItemsAdded,
    /// `UNIQUE_ITEMS_REMOVED`
    UniqueItemsRemoved,
    /// `ADDITIONAL_ITEMS_ADDED`
    AdditionalItemsAdded,
    /// `ADDITIONAL_ITEMS_REMOVED`
    AdditionalItemsRemoved,
    /// `ADDITIONAL_ITEMS_EXTENDED`
    AdditionalItemsExtended,
    /// `ADDITIONAL_ITEMS_NARROWED`
    AdditionalItemsNarrowed,
    /// `ITEM_ADDED_TO_OPEN_CONTENT_MODEL`
    ItemAddedToOpenContentModel,
    /// `ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL`
    ItemWithEmptySchemaAddedToOpenContentModel,
    /// `ITEM_ADDED_TO_CLOSED_CONTENT_MODEL`
    ItemAddedToClosedContentModel,
    /// `ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL`
    ItemRemovedFromOpenContentModel,
    /// `ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL`
    ItemWithFalseRemovedFromClosedContentModel,
    /// `ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL`
    ItemRemovedFromClosedContentModel,
    /// `ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    ItemRemovedIsCoveredByPartiallyOpenContentModel,
    /// `ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    ItemRemovedNotCoveredByPartiallyOpenContentModel,
    /// `ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    ItemAddedIsCoveredByPartiallyOpenContentModel,
    /// `ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL`
    ItemAddedNotCoveredByPartiallyOpenContentModel,
    /// `ENUM_ARRAY_EXTENDED`
    EnumArrayExtended,
    /// `ENUM_ARRAY_NARROWED`
    EnumArrayNarrowed,
    /// `ENUM_ARRAY_CHANGED`
    EnumArrayChanged,
    /// `COMBINED_TYPE_EXTENDED`
    CombinedTypeExtended,
    /// `COMBINED_TYPE_CHANGED`
    CombinedTypeChanged,
    /// `PRODUCT_TYPE_EXTENDED`
    ProductTypeExtended,
    /// `PRODUCT_TYPE_NARROWED`
    ProductTypeNarrowed,
    /// `SUM_TYPE_EXTENDED`
    SumTypeExtended,
    /// `SUM_TYPE_NARROWED`
    SumTypeNarrowed,
    /// `COMBINED_TYPE_SUBSCHEMAS_CHANGED`
    CombinedTypeSubschemasChanged,
    /// `NOT_TYPE_EXTENDED`
    NotTypeExtended,
    /// `NOT_TYPE_NARROWED`
    NotTypeNarrowed,
}

impl ChangeKind {
    /// Every kind, in Confluent's order.
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::IdChanged,
        ChangeKind::DescriptionChanged,
        ChangeKind::TitleChanged,
        ChangeKind::DefaultChanged,
        ChangeKind::SchemaAdded,
        ChangeKind::SchemaRemoved,
        ChangeKind::TypeExtended,
        ChangeKind::TypeNarrowed,
        ChangeKind::TypeChanged,
        ChangeKind::MaxLengthAdded,
        ChangeKind::MaxLengthRemoved,
        ChangeKind::MaxLengthIncreased,
        ChangeKind::MaxLengthDecreased,
        ChangeKind::MinLengthAdded,
        ChangeKind::MinLengthRemoved,
        ChangeKind::MinLengthIncreased,
        ChangeKind::MinLengthDecreased,
        ChangeKind::PatternAdded,
        ChangeKind::PatternRemoved,
        ChangeKind::PatternChanged,
        ChangeKind::MaximumAdded,
        ChangeKind::MaximumRemoved,
        ChangeKind::MaximumIncreased,
        ChangeKind::MaximumDecreased,
        ChangeKind::MinimumAdded,
        ChangeKind::MinimumRemoved,
        ChangeKind::MinimumIncreased,
        ChangeKind::MinimumDecreased,
        ChangeKind::ExclusiveMaximumAdded,
        ChangeKind::ExclusiveMaximumRemoved,
        ChangeKind::ExclusiveMaximumIncreased,
        ChangeKind::ExclusiveMaximumDecreased,
        ChangeKind::ExclusiveMinimumAdded,
        ChangeKind::ExclusiveMinimumRemoved,
        ChangeKind::ExclusiveMinimumIncreased,
        ChangeKind::ExclusiveMinimumDecreased,
        ChangeKind::MultipleOfAdded,
        ChangeKind::MultipleOfRemoved,
        ChangeKind::MultipleOfExpanded,
        ChangeKind::MultipleOfReduced,
        ChangeKind::MultipleOfChanged,
        ChangeKind::RequiredAttributeAdded,
        ChangeKind::RequiredAttributeWithDefaultAdded,
        ChangeKind::RequiredAttributeRemoved,
        ChangeKind::MaxPropertiesAdded,
        ChangeKind::MaxPropertiesRemoved,
        ChangeKind::MaxPropertiesIncreased,
        ChangeKind::MaxPropertiesDecreased,
        ChangeKind::MinPropertiesAdded,
        ChangeKind::MinPropertiesRemoved,
        ChangeKind::MinPropertiesIncreased,
        ChangeKind::MinPropertiesDecreased,
        ChangeKind::AdditionalPropertiesAdded,
        ChangeKind::AdditionalPropertiesRemoved,
        ChangeKind::AdditionalPropertiesExtended,
        ChangeKind::AdditionalPropertiesNarrowed,
        ChangeKind::DependencyArrayAdded,
        ChangeKind::DependencyArrayRemoved,
        ChangeKind::DependencyArrayExtended,
        ChangeKind::DependencyArrayNarrowed,
        ChangeKind::DependencyArrayChanged,
        ChangeKind::DependencySchemaAdded,
        ChangeKind::DependencySchemaRemoved,
        ChangeKind::PropertyAddedToOpenContentModel,
        ChangeKind::RequiredPropertyAddedToOpenContentModel,
        ChangeKind::RequiredPropertyWithDefaultAddedToOpenContentModel,
        ChangeKind::OptionalPropertyAddedToOpenContentModel,
        ChangeKind::PropertyWithEmptySchemaAddedToOpenContentModel,
        ChangeKind::RequiredPropertyAddedToUnopenContentModel,
        ChangeKind::RequiredPropertyWithDefaultAddedToUnopenContentModel,
        ChangeKind::OptionalPropertyAddedToUnopenContentModel,
        ChangeKind::PropertyRemovedFromOpenContentModel,
        ChangeKind::PropertyWithFalseRemovedFromClosedContentModel,
        ChangeKind::PropertyRemovedFromClosedContentModel,
        ChangeKind::PropertyRemovedIsCoveredByPartiallyOpenContentModel,
        ChangeKind::PropertyRemovedNotCoveredByPartiallyOpenContentModel,
        ChangeKind::PropertyAddedIsCoveredByPartiallyOpenContentModel,
        ChangeKind::PropertyAddedNotCoveredByPartiallyOpenContentModel,
        ChangeKind::MaxItemsAdded,
        ChangeKind::MaxItemsRemoved,
        ChangeKind::MaxItemsIncreased,
        ChangeKind::MaxItemsDecreased,
        ChangeKind::MinItemsAdded,
        ChangeKind::MinItemsRemoved,
        ChangeKind::MinItemsIncreased,
        ChangeKind::MinItemsDecreased,
        ChangeKind::UniqueItemsAdded,
        ChangeKind::UniqueItemsRemoved,
        ChangeKind::AdditionalItemsAdded,
        ChangeKind::AdditionalItemsRemoved,
        ChangeKind::AdditionalItemsExtended,
        ChangeKind::AdditionalItemsNarrowed,
        ChangeKind::ItemAddedToOpenContentModel,
        ChangeKind::ItemWithEmptySchemaAddedToOpenContentModel,
        ChangeKind::ItemAddedToClosedContentModel,
        ChangeKind::ItemRemovedFromOpenContentModel,
        ChangeKind::ItemWithFalseRemovedFromClosedContentModel,
        ChangeKind::ItemRemovedFromClosedContentModel,
        ChangeKind::ItemRemovedIsCoveredByPartiallyOpenContentModel,
        ChangeKind::ItemRemovedNotCoveredByPartiallyOpenContentModel,
        ChangeKind::ItemAddedIsCoveredByPartiallyOpenContentModel,
        ChangeKind::ItemAddedNotCoveredByPartiallyOpenContentModel,
        ChangeKind::EnumArrayExtended,
        ChangeKind::EnumArrayNarrowed,
        ChangeKind::EnumArrayChanged,
        ChangeKind::CombinedTypeExtended,
        ChangeKind::CombinedTypeChanged,
        ChangeKind::ProductTypeExtended,
        ChangeKind::ProductTypeNarrowed,
        ChangeKind::SumTypeExtended,
        ChangeKind::SumTypeNarrowed,
        ChangeKind::CombinedTypeSubschemasChanged,
        ChangeKind::NotTypeExtended,
        ChangeKind::NotTypeNarrowed,
    ];

    /// Confluent's name of the kind, e.g. `"TYPE_NARROWED"`.
    pub const fn name(self) -> &'static str {
        match self {
            ChangeKind::IdChanged => "ID_CHANGED",
            ChangeKind::DescriptionChanged => "DESCRIPTION_CHANGED",
            ChangeKind::TitleChanged => "TITLE_CHANGED",
            ChangeKind::DefaultChanged => "DEFAULT_CHANGED",
            ChangeKind::SchemaAdded => "SCHEMA_ADDED",
            ChangeKind::SchemaRemoved => "SCHEMA_REMOVED",
            ChangeKind::TypeExtended => "TYPE_EXTENDED",
            ChangeKind::TypeNarrowed => "TYPE_NARROWED",
            ChangeKind::TypeChanged => "TYPE_CHANGED",
            ChangeKind::MaxLengthAdded => "MAX_LENGTH_ADDED",
            ChangeKind::MaxLengthRemoved => "MAX_LENGTH_REMOVED",
            ChangeKind::MaxLengthIncreased => "MAX_LENGTH_INCREASED",
            ChangeKind::MaxLengthDecreased => "MAX_LENGTH_DECREASED",
            ChangeKind::MinLengthAdded => "MIN_LENGTH_ADDED",
            ChangeKind::MinLengthRemoved => "MIN_LENGTH_REMOVED",
            ChangeKind::MinLengthIncreased => "MIN_LENGTH_INCREASED",
            ChangeKind::MinLengthDecreased => "MIN_LENGTH_DECREASED",
            ChangeKind::PatternAdded => "PATTERN_ADDED",
            ChangeKind::PatternRemoved => "PATTERN_REMOVED",
            ChangeKind::PatternChanged => "PATTERN_CHANGED",
            ChangeKind::MaximumAdded => "MAXIMUM_ADDED",
            ChangeKind::MaximumRemoved => "MAXIMUM_REMOVED",
            ChangeKind::MaximumIncreased => "MAXIMUM_INCREASED",
            ChangeKind::MaximumDecreased => "MAXIMUM_DECREASED",
            ChangeKind::MinimumAdded => "MINIMUM_ADDED",
            ChangeKind::MinimumRemoved => "MINIMUM_REMOVED",
            ChangeKind::MinimumIncreased => "MINIMUM_INCREASED",
            ChangeKind::MinimumDecreased => "MINIMUM_DECREASED",
            ChangeKind::ExclusiveMaximumAdded => "EXCLUSIVE_MAXIMUM_ADDED",
            ChangeKind::ExclusiveMaximumRemoved => "EXCLUSIVE_MAXIMUM_REMOVED",
            ChangeKind::ExclusiveMaximumIncreased => "EXCLUSIVE_MAXIMUM_INCREASED",
            ChangeKind::ExclusiveMaximumDecreased => "EXCLUSIVE_MAXIMUM_DECREASED",
            ChangeKind::ExclusiveMinimumAdded => "EXCLUSIVE_MINIMUM_ADDED",
            ChangeKind::ExclusiveMinimumRemoved => "EXCLUSIVE_MINIMUM_REMOVED",
            ChangeKind::ExclusiveMinimumIncreased => "EXCLUSIVE_MINIMUM_INCREASED",
            ChangeKind::ExclusiveMinimumDecreased => "EXCLUSIVE_MINIMUM_DECREASED",
            ChangeKind::MultipleOfAdded => "MULTIPLE_OF_ADDED",
            ChangeKind::MultipleOfRemoved => "MULTIPLE_OF_REMOVED",
            ChangeKind::MultipleOfExpanded => "MULTIPLE_OF_EXPANDED",
            ChangeKind::MultipleOfReduced => "MULTIPLE_OF_REDUCED",
            ChangeKind::MultipleOfChanged => "MULTIPLE_OF_CHANGED",
            ChangeKind::RequiredAttributeAdded => "REQUIRED_ATTRIBUTE_ADDED",
            ChangeKind::RequiredAttributeWithDefaultAdded => {
                "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED"
            }
            ChangeKind::RequiredAttributeRemoved => "REQUIRED_ATTRIBUTE_REMOVED",
            ChangeKind::MaxPropertiesAdded => "MAX_PROPERTIES_ADDED",
            ChangeKind::MaxPropertiesRemoved => "MAX_PROPERTIES_REMOVED",
            ChangeKind::MaxPropertiesIncreased => "MAX_PROPERTIES_INCREASED",
            ChangeKind::MaxPropertiesDecreased => "MAX_PROPERTIES_DECREASED",
            ChangeKind::MinPropertiesAdded => "MIN_PROPERTIES_ADDED",
            ChangeKind::MinPropertiesRemoved => "MIN_PROPERTIES_REMOVED",
            ChangeKind::MinPropertiesIncreased => "MIN_PROPERTIES_INCREASED",
            ChangeKind::MinPropertiesDecreased => "MIN_PROPERTIES_DECREASED",
            ChangeKind::AdditionalPropertiesAdded => "ADDITIONAL_PROPERTIES_ADDED",
            ChangeKind::AdditionalPropertiesRemoved => "ADDITIONAL_PROPERTIES_REMOVED",
            ChangeKind::AdditionalPropertiesExtended => "ADDITIONAL_PROPERTIES_EXTENDED",
            ChangeKind::AdditionalPropertiesNarrowed => "ADDITIONAL_PROPERTIES_NARROWED",
            ChangeKind::DependencyArrayAdded => "DEPENDENCY_ARRAY_ADDED",
            ChangeKind::DependencyArrayRemoved => "DEPENDENCY_ARRAY_REMOVED",
            ChangeKind::DependencyArrayExtended => "DEPENDENCY_ARRAY_EXTENDED",
            ChangeKind::DependencyArrayNarrowed => "DEPENDENCY_ARRAY_NARROWED",
            ChangeKind::DependencyArrayChanged => "DEPENDENCY_ARRAY_CHANGED",
            ChangeKind::DependencySchemaAdded => "DEPENDENCY_SCHEMA_ADDED",
            ChangeKind::DependencySchemaRemoved => "DEPENDENCY_SCHEMA_REMOVED",
            ChangeKind::PropertyAddedToOpenContentModel => "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
            ChangeKind::RequiredPropertyAddedToOpenContentModel => {
                "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            ChangeKind::RequiredPropertyWithDefaultAddedToOpenContentModel => {
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            ChangeKind::OptionalPropertyAddedToOpenContentModel => {
                "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyWithEmptySchemaAddedToOpenContentModel => {
                "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            ChangeKind::RequiredPropertyAddedToUnopenContentModel => {
                "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            ChangeKind::RequiredPropertyWithDefaultAddedToUnopenContentModel => {
                "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            ChangeKind::OptionalPropertyAddedToUnopenContentModel => {
                "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyRemovedFromOpenContentModel => {
                "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyWithFalseRemovedFromClosedContentModel => {
                "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            ChangeKind::PropertyRemovedFromClosedContentModel => {
                "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            ChangeKind::PropertyRemovedIsCoveredByPartiallyOpenContentModel => {
                "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyRemovedNotCoveredByPartiallyOpenContentModel => {
                "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyAddedIsCoveredByPartiallyOpenContentModel => {
                "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::PropertyAddedNotCoveredByPartiallyOpenContentModel => {
                "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::MaxItemsAdded => "MAX_ITEMS_ADDED",
            ChangeKind::MaxItemsRemoved => "MAX_ITEMS_REMOVED",
            ChangeKind::MaxItemsIncreased => "MAX_ITEMS_INCREASED",
            ChangeKind::MaxItemsDecreased => "MAX_ITEMS_DECREASED",
            ChangeKind::MinItemsAdded => "MIN_ITEMS_ADDED",
            ChangeKind::MinItemsRemoved => "MIN_ITEMS_REMOVED",
            ChangeKind::MinItemsIncreased => "MIN_ITEMS_INCREASED",
            ChangeKind::MinItemsDecreased => "MIN_ITEMS_DECREASED",
            ChangeKind::UniqueItemsAdded => "UNIQUE_ITEMS_ADDED",
            ChangeKind::UniqueItemsRemoved => "UNIQUE_ITEMS_REMOVED",
            ChangeKind::AdditionalItemsAdded => "ADDITIONAL_ITEMS_ADDED",
            ChangeKind::AdditionalItemsRemoved => "ADDITIONAL_ITEMS_REMOVED",
            ChangeKind::AdditionalItemsExtended => "ADDITIONAL_ITEMS_EXTENDED",
            ChangeKind::AdditionalItemsNarrowed => "ADDITIONAL_ITEMS_NARROWED",
            ChangeKind::ItemAddedToOpenContentModel => "ITEM_ADDED_TO_OPEN_CONTENT_MODEL",
            ChangeKind::ItemWithEmptySchemaAddedToOpenContentModel => {
                "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL"
            }
            ChangeKind::ItemAddedToClosedContentModel => "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL",
            ChangeKind::ItemRemovedFromOpenContentModel => "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL",
            ChangeKind::ItemWithFalseRemovedFromClosedContentModel => {
                "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            ChangeKind::ItemRemovedFromClosedContentModel => {
                "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL"
            }
            ChangeKind::ItemRemovedIsCoveredByPartiallyOpenContentModel => {
                "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::ItemRemovedNotCoveredByPartiallyOpenContentModel => {
                "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::ItemAddedIsCoveredByPartiallyOpenContentModel => {
                "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::ItemAddedNotCoveredByPartiallyOpenContentModel => {
                "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL"
            }
            ChangeKind::EnumArrayExtended => "ENUM_ARRAY_EXTENDED",
            ChangeKind::EnumArrayNarrowed => "ENUM_ARRAY_NARROWED",
            ChangeKind::EnumArrayChanged => "ENUM_ARRAY_CHANGED",
            ChangeKind::CombinedTypeExtended => "COMBINED_TYPE_EXTENDED",
            ChangeKind::CombinedTypeChanged => "COMBINED_TYPE_CHANGED",
            ChangeKind::ProductTypeExtended => "PRODUCT_TYPE_EXTENDED",
            ChangeKind::ProductTypeNarrowed => "PRODUCT_TYPE_NARROWED",
            ChangeKind::SumTypeExtended => "SUM_TYPE_EXTENDED",
            ChangeKind::SumTypeNarrowed => "SUM_TYPE_NARROWED",
            ChangeKind::CombinedTypeSubschemasChanged => "COMBINED_TYPE_SUBSCHEMAS_CHANGED",
            ChangeKind::NotTypeExtended => "NOT_TYPE_EXTENDED",
            ChangeKind::NotTypeNarrowed => "NOT_TYPE_NARROWED",
        }
    }

    /// The kind named `name` (Confluent's spelling).
    pub fn from_name(name: &str) -> Option<ChangeKind> {
        Self::ALL.iter().copied().find(|kind| kind.name() == name)
    }

    /// Whether a reader tolerates this change under `policy`: every value valid under the
    /// writer's schema stays readable.
    pub const fn is_compatible(self, policy: CompatPolicy) -> bool {
        match self {
            ChangeKind::IdChanged
            | ChangeKind::DescriptionChanged
            | ChangeKind::TitleChanged
            | ChangeKind::DefaultChanged
            | ChangeKind::SchemaRemoved
            | ChangeKind::TypeExtended
            | ChangeKind::MaxLengthRemoved
            | ChangeKind::MaxLengthIncreased
            | ChangeKind::MinLengthRemoved
            | ChangeKind::MinLengthDecreased
            | ChangeKind::PatternRemoved
            | ChangeKind::MaximumRemoved
            | ChangeKind::MaximumIncreased
            | ChangeKind::MinimumRemoved
            | ChangeKind::MinimumDecreased
            | ChangeKind::ExclusiveMaximumRemoved
            | ChangeKind::ExclusiveMaximumIncreased
            | ChangeKind::ExclusiveMinimumRemoved
            | ChangeKind::ExclusiveMinimumDecreased
            | ChangeKind::MultipleOfRemoved
            | ChangeKind::MultipleOfReduced
            | ChangeKind::RequiredAttributeWithDefaultAdded
            | ChangeKind::RequiredAttributeRemoved
            | ChangeKind::MaxPropertiesRemoved
            | ChangeKind::MaxPropertiesIncreased
            | ChangeKind::MinPropertiesRemoved
            | ChangeKind::MinPropertiesDecreased
            | ChangeKind::AdditionalPropertiesAdded
            | ChangeKind::AdditionalPropertiesExtended
            | ChangeKind::DependencyArrayRemoved
            | ChangeKind::DependencyArrayNarrowed
            | ChangeKind::DependencySchemaRemoved
            | ChangeKind::PropertyWithEmptySchemaAddedToOpenContentModel
            | ChangeKind::RequiredPropertyWithDefaultAddedToUnopenContentModel
            | ChangeKind::OptionalPropertyAddedToUnopenContentModel
            | ChangeKind::PropertyRemovedFromOpenContentModel
            | ChangeKind::PropertyWithFalseRemovedFromClosedContentModel
            | ChangeKind::PropertyRemovedIsCoveredByPartiallyOpenContentModel
            | ChangeKind::PropertyAddedIsCoveredByPartiallyOpenContentModel
            | ChangeKind::MaxItemsRemoved
            | ChangeKind::MaxItemsIncreased
            | ChangeKind::MinItemsRemoved
            | ChangeKind::MinItemsDecreased
            | ChangeKind::UniqueItemsRemoved
            | ChangeKind::AdditionalItemsAdded
            | ChangeKind::AdditionalItemsExtended
            | ChangeKind::ItemWithEmptySchemaAddedToOpenContentModel
            | ChangeKind::ItemAddedToClosedContentModel
            | ChangeKind::ItemRemovedFromOpenContentModel
            | ChangeKind::ItemWithFalseRemovedFromClosedContentModel
            | ChangeKind::ItemRemovedIsCoveredByPartiallyOpenContentModel
            | ChangeKind::ItemAddedIsCoveredByPartiallyOpenContentModel
            | ChangeKind::EnumArrayExtended
            | ChangeKind::CombinedTypeExtended
            | ChangeKind::ProductTypeNarrowed
            | ChangeKind::SumTypeExtended
            | ChangeKind::NotTypeNarrowed => true,
            ChangeKind::AdditionalPropertiesRemoved
            | ChangeKind::AdditionalPropertiesNarrowed
            | ChangeKind::PropertyAddedToOpenContentModel
            | ChangeKind::RequiredPropertyWithDefaultAddedToOpenContentModel
            | ChangeKind::OptionalPropertyAddedToOpenContentModel
            | ChangeKind::PropertyRemovedNotCoveredByPartiallyOpenContentModel
            | ChangeKind::PropertyAddedNotCoveredByPartiallyOpenContentModel => {
                matches!(policy, CompatPolicy::Lenient)
            }
            _ => false,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl ChangeKind {
    /// A sentence saying what the change is and why it does (or does not) break a reader.
    pub fn explanation(self) -> &'static str {
        use ChangeKind::*;
        match self {
            IdChanged | DescriptionChanged | TitleChanged | DefaultChanged => {
                "an annotation changed; validation is the same, so no reader is affected"
            }
            SchemaAdded => "a schema now constrains what was unconstrained; values the writer could send may be rejected",
            SchemaRemoved => "a constraint was removed; every value accepted before is still accepted",
            TypeExtended => "the type was widened (integer to number); every value accepted before is still accepted",
            TypeNarrowed => "the type was narrowed (number to integer); a value with a fraction is now rejected",
            TypeChanged => "the type changed; values of the old type are rejected",
            MaxLengthAdded | MaxLengthDecreased => "strings may now be too long; longer values accepted before are rejected",
            MaxLengthRemoved | MaxLengthIncreased => "longer strings are accepted; nothing accepted before is rejected",
            MinLengthAdded | MinLengthIncreased => "strings may now be too short; shorter values accepted before are rejected",
            MinLengthRemoved | MinLengthDecreased => "shorter strings are accepted; nothing accepted before is rejected",
            PatternAdded | PatternChanged => "a pattern now constrains the string; values accepted before may not match",
            PatternRemoved => "the pattern was removed; every string is accepted",
            MaximumAdded | MaximumDecreased | ExclusiveMaximumAdded | ExclusiveMaximumDecreased => {
                "the upper bound is tighter; larger values accepted before are rejected"
            }
            MaximumRemoved | MaximumIncreased | ExclusiveMaximumRemoved | ExclusiveMaximumIncreased => {
                "the upper bound is looser; nothing accepted before is rejected"
            }
            MinimumAdded | MinimumIncreased | ExclusiveMinimumAdded | ExclusiveMinimumIncreased => {
                "the lower bound is tighter; smaller values accepted before are rejected"
            }
            MinimumRemoved | MinimumDecreased | ExclusiveMinimumRemoved | ExclusiveMinimumDecreased => {
                "the lower bound is looser; nothing accepted before is rejected"
            }
            MultipleOfAdded | MultipleOfExpanded | MultipleOfChanged => {
                "multipleOf is stricter or different; numbers accepted before may not be multiples"
            }
            MultipleOfRemoved | MultipleOfReduced => "multipleOf is looser; every number accepted before is still a multiple",
            RequiredAttributeAdded => "a property became required; data written without it is rejected",
            RequiredAttributeWithDefaultAdded => "a property became required but has a default, which a reader fills in",
            RequiredAttributeRemoved => "a property is no longer required; data with or without it is accepted",
            MaxPropertiesAdded | MaxPropertiesDecreased => "fewer properties are allowed; larger objects accepted before are rejected",
            MaxPropertiesRemoved | MaxPropertiesIncreased => "more properties are allowed; nothing accepted before is rejected",
            MinPropertiesAdded | MinPropertiesIncreased => "more properties are needed; smaller objects accepted before are rejected",
            MinPropertiesRemoved | MinPropertiesDecreased => "fewer properties are needed; nothing accepted before is rejected",
            AdditionalPropertiesAdded | AdditionalPropertiesExtended => {
                "undeclared properties are accepted more widely; nothing accepted before is rejected"
            }
            AdditionalPropertiesRemoved | AdditionalPropertiesNarrowed => {
                "undeclared properties are restricted; data carrying them is rejected"
            }
            DependencyArrayAdded | DependencyArrayExtended | DependencyArrayChanged => {
                "a property now requires others; data without them is rejected"
            }
            DependencyArrayNarrowed | DependencyArrayRemoved | DependencySchemaRemoved => {
                "a dependency was relaxed; nothing accepted before is rejected"
            }
            DependencySchemaAdded => "a property now brings a schema to satisfy; data accepted before may not",
            PropertyAddedToOpenContentModel
            | OptionalPropertyAddedToOpenContentModel
            | RequiredPropertyAddedToOpenContentModel
            | RequiredPropertyWithDefaultAddedToOpenContentModel => {
                "a property was declared in an open content model; old data may already carry that name with another type"
            }
            PropertyWithEmptySchemaAddedToOpenContentModel => {
                "a property that accepts anything was declared; nothing accepted before is rejected"
            }
            RequiredPropertyAddedToUnopenContentModel => {
                "a required property was added; data written without it is rejected"
            }
            RequiredPropertyWithDefaultAddedToUnopenContentModel => {
                "a required property with a default was added; a reader fills in the default"
            }
            OptionalPropertyAddedToUnopenContentModel => {
                "an optional property was added to a closed content model; old data never carries it"
            }
            PropertyRemovedFromOpenContentModel => "a property was removed from an open content model, which still accepts it",
            PropertyWithFalseRemovedFromClosedContentModel => "a forbidden property was removed; it stays forbidden",
            PropertyRemovedFromClosedContentModel => {
                "a property was removed from a closed content model; data that carries it is rejected"
            }
            PropertyRemovedIsCoveredByPartiallyOpenContentModel | ItemRemovedIsCoveredByPartiallyOpenContentModel => {
                "a property or item was removed but the additional schema still accepts its values"
            }
            PropertyRemovedNotCoveredByPartiallyOpenContentModel | ItemRemovedNotCoveredByPartiallyOpenContentModel => {
                "a property or item was removed and the additional schema does not accept its values"
            }
            PropertyAddedIsCoveredByPartiallyOpenContentModel | ItemAddedIsCoveredByPartiallyOpenContentModel => {
                "a property or item was declared and accepts everything the additional schema accepted"
            }
            PropertyAddedNotCoveredByPartiallyOpenContentModel | ItemAddedNotCoveredByPartiallyOpenContentModel => {
                "a property or item was declared narrower than the additional schema that covered it; old values may be rejected"
            }
            MaxItemsAdded | MaxItemsDecreased => "fewer items are allowed; longer arrays accepted before are rejected",
            MaxItemsRemoved | MaxItemsIncreased => "more items are allowed; nothing accepted before is rejected",
            MinItemsAdded | MinItemsIncreased => "more items are needed; shorter arrays accepted before are rejected",
            MinItemsRemoved | MinItemsDecreased => "fewer items are needed; nothing accepted before is rejected",
            UniqueItemsAdded => "items must now be unique; arrays with repeats are rejected",
            UniqueItemsRemoved => "items may now repeat; nothing accepted before is rejected",
            AdditionalItemsAdded | AdditionalItemsExtended => "more trailing items are accepted; nothing accepted before is rejected",
            AdditionalItemsRemoved | AdditionalItemsNarrowed => "trailing items are restricted; longer arrays accepted before are rejected",
            ItemAddedToOpenContentModel => "a tuple position was declared in an open tuple; old data may hold another type there",
            ItemWithEmptySchemaAddedToOpenContentModel => "a tuple position that accepts anything was declared",
            ItemAddedToClosedContentModel => "a tuple position was added to a closed tuple; old data never has it",
            ItemRemovedFromOpenContentModel => "a tuple position was removed; the open tuple still accepts it",
            ItemWithFalseRemovedFromClosedContentModel => "a forbidden tuple position was removed; it stays forbidden",
            ItemRemovedFromClosedContentModel => "a tuple position was removed from a closed tuple; data that has it is rejected",
            EnumArrayExtended => "values were added to the enum; every value accepted before is still accepted",
            EnumArrayNarrowed | EnumArrayChanged => "values were removed from the enum (or const); data holding them is rejected",
            CombinedTypeExtended => "the combination was loosened (to anyOf, or from a single subschema)",
            CombinedTypeChanged => "the combination criterion changed (allOf, anyOf, oneOf); values accepted before may be rejected",
            ProductTypeExtended => "allOf gained a subschema; values must satisfy one more schema",
            ProductTypeNarrowed => "allOf lost a subschema; values have one schema less to satisfy",
            SumTypeExtended => "a union gained an alternative; every value accepted before is still accepted",
            SumTypeNarrowed => "a union lost an alternative; values matching only that one are rejected",
            CombinedTypeSubschemasChanged => "the subschemas of a combination changed so that old values may match none",
            NotTypeExtended => "`not` excludes more; values accepted before may now be excluded",
            NotTypeNarrowed => "`not` excludes less; nothing accepted before is rejected",
        }
    }
}
