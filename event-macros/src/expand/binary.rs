//! `impl Binary`: a hidden rkyv mirror of the type. Records get their fields in layout order
//! (decided in const evaluation, so the mirror's fields are slots picked by const indices);
//! newtype/tuple structs and enums keep their declaration order. Derived for types marked
//! `#[event(binary)]` only (not generic: checked in `validate`): the rkyv mirror is about half
//! of what a type's derive costs to compile, so JSON-only types do not pay for it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Container, Data, Field, Style, Variant};

/// Whether the type gets `impl Binary`: marked `#[event(binary)]` (`validate` refuses the mark
/// on a generic type, so nothing is expanded for one).
pub fn has_binary_form(container: &Container) -> bool {
    container
        .event
        .as_ref()
        .is_some_and(|e| e.binary == Some(true))
}

pub fn expand_binary(container: &Container) -> TokenStream {
    if !has_binary_form(container) {
        return TokenStream::new();
    }
    let ident = container.ident;
    // Each field's type needs a binary form: bounds of a struct are checked before any body,
    // so the first error points at the field's type (rkyv's derive then reports the same at
    // the derive).
    let field_types: Vec<&syn::Type> = match &container.data {
        Data::Struct(_, fields) => fields
            .iter()
            .filter(|f| f.in_schema())
            .map(|f| f.ty)
            .collect(),
        Data::Enum(variants) => variants
            .iter()
            .flat_map(|v| v.fields.iter().map(|f| f.ty))
            .collect(),
    };
    let checks = field_types.iter().map(|ty| {
        quote_spanned! {ty.span()=>
            #ty: ::event_core::binary::Binary,
        }
    });
    let body = match &container.data {
        Data::Struct(Style::Named, fields) => record(ident, fields),
        Data::Struct(Style::Unit, _) => unit(ident),
        Data::Struct(_, fields) => tuple(ident, fields),
        Data::Enum(variants) => enumeration(ident, variants),
    };
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, non_snake_case, clippy::all)]
        const _: () = {
            struct __EveryFieldIsBinary where #(#checks)*;
            #body
        };
    }
}

fn with(ty: &syn::Type) -> TokenStream {
    quote!(<#ty as ::event_core::binary::Binary>::With)
}

fn derive_attrs(remote: &syn::Ident) -> TokenStream {
    quote! {
        #[derive(
            ::event_core::__private::rkyv::Archive,
            ::event_core::__private::rkyv::Serialize,
            ::event_core::__private::rkyv::Deserialize
        )]
        #[rkyv(crate = ::event_core::__private::rkyv, remote = #remote)]
    }
}

fn record(ident: &syn::Ident, fields: &[Field]) -> TokenStream {
    let kept: Vec<&Field> = fields.iter().filter(|f| f.in_schema()).collect();
    let count = kept.len();
    let types: Vec<&syn::Type> = kept.iter().map(|f| f.ty).collect();
    let names: Vec<&String> = kept.iter().map(|f| &f.name).collect();
    let members: Vec<&syn::Ident> = kept
        .iter()
        .filter_map(|f| f.original.ident.as_ref())
        .collect();
    let indices: Vec<usize> = (0..count).collect();
    let slot_types: Vec<syn::Ident> = indices
        .iter()
        .map(|k| format_ident!("__Slot{}", k))
        .collect();
    let getters: Vec<syn::Ident> = indices
        .iter()
        .map(|k| format_ident!("__slot{}", k))
        .collect();
    let slots: Vec<syn::Ident> = indices.iter().map(|k| format_ident!("slot{}", k)).collect();
    let withs: Vec<TokenStream> = slot_types
        .iter()
        .map(|t| quote!(<#t as ::event_core::binary::Binary>::With))
        .collect();
    let skipped = fields
        .iter()
        .filter(|f| !f.in_schema())
        .filter_map(|f| f.original.ident.as_ref());
    let derive = derive_attrs(ident);
    let order = super::layout_order(&types);
    quote! {
        const ORDER: [usize; #count] = #order;
        const INVERSE: [usize; #count] = ::event_core::layout::inverse_order(ORDER);
        #(
            impl ::event_core::binary::Field<#indices> for #ident {
                type Type = #types;
                #[inline]
                fn field(&self) -> &#types {
                    &self.#members
                }
            }
            type #slot_types = <#ident as ::event_core::binary::Field<{ ORDER[#indices] }>>::Type;
            #[inline]
            fn #getters(value: &#ident) -> &#slot_types {
                <#ident as ::event_core::binary::Field<{ ORDER[#indices] }>>::field(value)
            }
        )*

        #derive
        pub struct __Layout {
            #(
                #[rkyv(getter = #getters, with = #withs)]
                pub #slots: #slot_types,
            )*
        }

        pub struct __Slots {
            #(#slots: ::core::option::Option<#slot_types>,)*
        }
        #(
            impl ::event_core::binary::Slot<#indices> for __Slots {
                type Type = #slot_types;
                #[inline]
                fn take(&mut self) -> ::core::option::Option<#slot_types> {
                    self.#slots.take()
                }
            }
        )*

        impl ::core::convert::From<__Layout> for #ident {
            // `#[inline]` here and above: codegen'd where a binary record is read, not for
            // every type of the crate that derives.
            #[inline]
            #[allow(unused_variables, unused_mut)]
            fn from(layout: __Layout) -> Self {
                let mut slots = __Slots { #(#slots: ::core::option::Option::Some(layout.#slots),)* };
                #ident {
                    #(#members: ::event_core::binary::take_slot::<__Slots, { INVERSE[#indices] }>(&mut slots),)*
                    #(#skipped: ::core::default::Default::default(),)*
                }
            }
        }

        impl ::event_core::binary::Binary for #ident {
            type With = __Layout;
            fn binary_fields() -> ::event_core::__private::Vec<::event_core::binary::BinaryField> {
                ::event_core::__private::vec![#(::event_core::binary::BinaryField::of::<#types>(#names)),*]
            }
            fn binary_layout_order() -> ::event_core::__private::Vec<usize> {
                ORDER.to_vec()
            }
        }
    }
}

fn tuple(ident: &syn::Ident, fields: &[Field]) -> TokenStream {
    let types: Vec<&syn::Type> = fields.iter().map(|f| f.ty).collect();
    let withs: Vec<TokenStream> = types.iter().map(|t| with(t)).collect();
    let indices = (0..fields.len()).map(syn::Index::from);
    let derive = derive_attrs(ident);
    quote! {
        #derive
        pub struct __Layout(#(#[rkyv(with = #withs)] pub #types),*);
        impl ::core::convert::From<__Layout> for #ident {
            fn from(layout: __Layout) -> Self {
                #ident(#(layout.#indices),*)
            }
        }
        impl ::event_core::binary::Binary for #ident {
            type With = __Layout;
        }
    }
}

fn unit(ident: &syn::Ident) -> TokenStream {
    let derive = derive_attrs(ident);
    quote! {
        #derive
        pub struct __Layout;
        impl ::core::convert::From<__Layout> for #ident {
            fn from(_: __Layout) -> Self {
                #ident
            }
        }
        impl ::event_core::binary::Binary for #ident {
            type With = __Layout;
        }
    }
}

fn enumeration(ident: &syn::Ident, variants: &[Variant]) -> TokenStream {
    let mut mirror_variants = Vec::new();
    let mut arms = Vec::new();
    for variant in variants {
        let name = variant.ident;
        let bindings: Vec<syn::Ident> = (0..variant.fields.len())
            .map(|i| format_ident!("__field{}", i))
            .collect();
        let types: Vec<&syn::Type> = variant.fields.iter().map(|f| f.ty).collect();
        let withs: Vec<TokenStream> = types.iter().map(|t| with(t)).collect();
        match variant.style {
            Style::Unit => {
                mirror_variants.push(quote!(#name));
                arms.push(quote!(__Layout::#name => #ident::#name));
            }
            Style::Named => {
                let members: Vec<&syn::Ident> = variant
                    .fields
                    .iter()
                    .filter_map(|f| f.original.ident.as_ref())
                    .collect();
                mirror_variants
                    .push(quote!(#name { #(#[rkyv(with = #withs)] #members: #types),* }));
                arms.push(quote!(__Layout::#name { #(#members: #bindings),* } => #ident::#name { #(#members: #bindings),* }));
            }
            Style::Newtype | Style::Tuple => {
                mirror_variants.push(quote!(#name(#(#[rkyv(with = #withs)] #types),*)));
                arms.push(quote!(__Layout::#name(#(#bindings),*) => #ident::#name(#(#bindings),*)));
            }
        }
    }
    let derive = derive_attrs(ident);
    quote! {
        #derive
        pub enum __Layout {
            #(#mirror_variants,)*
        }
        impl ::core::convert::From<__Layout> for #ident {
            fn from(layout: __Layout) -> Self {
                match layout {
                    #(#arms,)*
                }
            }
        }
        impl ::event_core::binary::Binary for #ident {
            type With = __Layout;
        }
    }
}
