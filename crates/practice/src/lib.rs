//! The practice file: a TOML description of a practice that `frontdesk apply` imports and
//! `frontdesk export` prints.
//!
//! [`parse`] reads and validates the whole file before anything else happens, so a bad file
//! never reaches storage; every error names the field path (`clients[0].terms.response.email`)
//! and the value. [`render`] prints a practice back as a file that [`parse`] accepts and that
//! describes the same practice (the round trip).

mod file;
mod parse;
mod render;

pub use parse::{FileError, parse};
pub use render::render;
