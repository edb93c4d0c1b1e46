//! Closed vocabularies as types: each value with a stable code (stored, sent
//! by the API) and one Chinese label, written once by [`vocabulary!`].

/// A closed vocabulary: each value with a stable code (stored, sent by the
/// API) and one Chinese label.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable code, as stored and sent by the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Chinese label, as shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value whose [code](Self::code) is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Parses a code chosen in a form.
            pub fn parse(field: $crate::error::Field, raw: &str) -> Result<Self, $crate::error::FieldError> {
                match raw.trim() {
                    "" => Err(field.error($crate::error::FieldErrorKind::Required)),
                    t => Self::from_code(t)
                        .ok_or_else(|| field.error($crate::error::FieldErrorKind::UnknownOption { raw: t.to_string() })),
                }
            }
        }
    };
}
pub(crate) use vocabulary;
