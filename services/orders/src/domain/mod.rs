//! The orders domain in types that can only hold valid values: built through `parse`, so
//! code past the edge never re-checks them.

mod email;
mod ids;
mod money;
mod new_order;
mod overdue;
mod status;
mod text;

pub use email::Email;
pub use ids::parse_hyphenated;
pub use money::{Currency, Money};
pub use new_order::{NewAddress, NewCustomer, NewItem, NewOrder, Quantity};
pub use overdue::OverdueAfter;
pub use status::{InvalidTransition, StatusChange};
pub use text::Text;
