//! Local account names: the `name` in `@name@domain` and `/users/name`.

use crate::i18n::Message;

pub const MAX_LEN: usize = 30;

/// Username of the instance actor (an `Application`), as Mastodon names its own
/// `mastodon.internal`; the dot keeps it apart from every account name.
pub const INSTANCE_ACTOR_NAME: &str = "munifed.internal";

/// Lower-case ASCII letters, digits and `_`, 1 to 30 characters, as Mastodon allows
/// (letter case folded so that `@News` and `@news` are one account).
pub fn validate(name: &str) -> Result<(), Message> {
    if name.is_empty() || name.len() > MAX_LEN {
        return Err(Message::new("error-account-name-length").count("max", MAX_LEN));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(Message::new("error-account-name-characters").arg("name", format!("{name:?}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_simple_names_and_refuses_others() {
        assert!(validate("news").is_ok());
        assert!(validate("city_of_x2").is_ok());
        for bad in ["", "News", "a.b", "a b", "ñ", &"x".repeat(31)] {
            assert!(validate(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
