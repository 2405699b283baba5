//! The generated component bindings for both worlds, and the glue that runs an author's
//! [`Parser`](crate::Parser) or [`Analyzer`](crate::Analyzer) behind them. Compiled for wasm32
//! only and hidden from authors: they see the plain types and traits of this crate.
//!
//! The bindings for the parser world own the shared `types` interface; the analyzer world reuses
//! them through `with`, so a sale is the same Rust type in both and needs one set of conversions.
//! `register_parser!` and `register_analyzer!` expand to the generated `export!` macros here.
//!
//! Plugins built with this SDK speak `stocklens:plugin@1.1.0`; hosts that run 1.1.0 also run
//! every 1.0.0 plugin.

#![allow(unsafe_code, missing_docs)]

mod adapter;
mod convert;

/// Bindings for the `parser-plugin` world.
pub mod parser_world {
    wit_bindgen::generate!({
        path: "../../wit/1.1.0",
        world: "parser-plugin",
        pub_export_macro: true,
        export_macro_name: "export_parser",
        default_bindings_module: "stocklens_plugin_sdk::bindings::parser_world",
    });
}

/// Bindings for the `analyzer-plugin` world.
pub mod analyzer_world {
    wit_bindgen::generate!({
        path: "../../wit/1.1.0",
        world: "analyzer-plugin",
        pub_export_macro: true,
        export_macro_name: "export_analyzer",
        default_bindings_module: "stocklens_plugin_sdk::bindings::analyzer_world",
        with: {
            "stocklens:plugin/types@1.1.0": crate::bindings::parser_world::stocklens::plugin::types,
        },
    });
}
