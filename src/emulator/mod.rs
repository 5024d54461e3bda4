//! A local stand-in of the ModelArts pool API (DESIGN.md §5), built up
//! bottom-up; the HTTP server that uses these parts comes in a later commit.
#![allow(dead_code)]

mod auth;
mod faults;
mod flavors;
mod lifecycle;
mod pools;
mod reply;
mod rng;
mod state;
