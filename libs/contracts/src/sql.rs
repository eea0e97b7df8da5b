//! The vocabularies as PostgreSQL `TEXT` columns: each decodes from its name, and a name that
//! is not one of its values is a column decode error naming what was expected.

use sqlx::{
    Decode, Postgres, Type,
    error::BoxDynError,
    postgres::{PgTypeInfo, PgValueRef},
};

use crate::{CancelReasonCode, OrderStatus, Priority};

macro_rules! text_column {
    ($($vocabulary:ty),+) => {$(
        impl Type<Postgres> for $vocabulary {
            fn type_info() -> PgTypeInfo {
                <&str as Type<Postgres>>::type_info()
            }

            fn compatible(ty: &PgTypeInfo) -> bool {
                <&str as Type<Postgres>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Postgres> for $vocabulary {
            fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok(<&str as Decode<Postgres>>::decode(value)?.parse()?)
            }
        }
    )+};
}

text_column!(OrderStatus, Priority, CancelReasonCode);
