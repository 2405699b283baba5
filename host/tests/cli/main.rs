//! Tests of the `stocklens` binary as a contributor or a script runs it: real processes, the
//! embedded plugins in a real wasmtime, real files from `examples/` and `../shared/samples/`.

mod authoring;
mod bad_input;
mod bot;
mod errors;
mod examples;
mod golden;
mod helpers;
mod plugins;
mod report;
mod samples;
mod workbook;
