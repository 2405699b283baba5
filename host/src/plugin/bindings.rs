//! Host-side bindings generated from the WIT, one module per supported interface version.
//!
//! Each world gets its own module because both worlds use the same `types` interface: the
//! analyzer bindings reuse the parser bindings' `types`, so a sale a parser returns is the very
//! value an analyzer is fed, with no conversion on the hot path.

/// `stocklens:plugin@1.0.0`, parser world.
pub mod parser_v1 {
    wasmtime::component::bindgen!({
        path: "../wit/1.0.0",
        world: "parser-plugin",
        additional_derives: [PartialEq],
    });
}

/// `stocklens:plugin@1.0.0`, report-generator world.
pub mod analyzer_v1 {
    wasmtime::component::bindgen!({
        path: "../wit/1.0.0",
        world: "analyzer-plugin",
        additional_derives: [PartialEq],
        with: {
            "stocklens:plugin/types": super::parser_v1::stocklens::plugin::types,
        },
    });
}

/// The normalized types every plugin speaks, as the host sees them.
pub use parser_v1::stocklens::plugin::types;
