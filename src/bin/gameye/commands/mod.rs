//! One module per subcommand group.

pub mod artifacts;
pub mod catalogue;
pub mod doctor;
pub mod lifecycle;
pub mod logs;
pub mod players;
pub mod sessions;
