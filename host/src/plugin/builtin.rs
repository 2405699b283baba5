//! The plugins compiled into the binary, so a fresh install works with no plugin management.
//!
//! `build.rs` builds them from `plugins/` for wasm32-wasip2; here they are only bytes. They are
//! loaded like any installed plugin, through the same sandbox and the same validation.

/// A plugin embedded in the binary.
#[derive(Debug)]
pub struct Builtin {
    /// The plugin's crate name, for messages before it is loaded.
    pub name: &'static str,
    /// The component.
    pub bytes: &'static [u8],
}

/// Every built-in plugin: parsers first, then report generators in report order.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "adobe-stock",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/adobe_stock.wasm")),
    },
    Builtin {
        name: "istock-getty",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/istock_getty.wasm")),
    },
    Builtin {
        name: "freepik",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/freepik.wasm")),
    },
    Builtin {
        name: "envato-market",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/envato_market.wasm")),
    },
    Builtin {
        name: "shutterstock",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/shutterstock.wasm")),
    },
    Builtin {
        name: "generic",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/generic.wasm")),
    },
    Builtin {
        name: "overview",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/overview.wasm")),
    },
    Builtin {
        name: "trends",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/trends.wasm")),
    },
    Builtin {
        name: "portfolio-health",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/portfolio_health.wasm")),
    },
    Builtin {
        name: "concentration",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/concentration.wasm")),
    },
    Builtin {
        name: "marketplaces",
        bytes: include_bytes!(concat!(env!("OUT_DIR"), "/marketplaces.wasm")),
    },
];

/// Where the build left every plugin component it built, including the test plugins
/// (`test_spin.wasm`, ...). Only meaningful on the machine that built this binary.
pub const BUILD_ARTIFACT_DIR: &str = env!("STOCKLENS_PLUGIN_WASM_DIR");
