//! Money: ISO 4217 currencies with their minor units, exact decimal amounts (never floats), the
//! rounding EN 16931 uses (half away from zero, to the currency's minor unit) and amounts as a
//! reader of each language writes them.

use std::fmt;

pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use serde::{Deserialize, Serialize};

use crate::Language;

/// The largest amount frontdesk takes in a rate, a fee or an item: a trillion.
const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// What is wrong with a currency or an amount.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{0:?} is not an ISO 4217 currency code such as \"EUR\", \"USD\" or \"JPY\"")]
    UnknownCurrency(String),
    #[error("{0:?} is not an amount such as \"120.00\"")]
    NotAnAmount(String),
    #[error("{0:?} is negative: amounts here are zero or more")]
    Negative(String),
    #[error("{0:?} is too large (at most 1000000000000)")]
    TooLarge(String),
    #[error("{amount:?} has more decimals than {currency} has ({minor})")]
    TooPrecise {
        amount: String,
        currency: String,
        minor: u32,
    },
}

/// An ISO 4217 currency that money is billed in: its code and its minor units (EUR 2, JPY 0,
/// BHD 3).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: iso_currency::Currency,
    minor: u32,
}

impl Currency {
    /// The currency of an ISO 4217 code; funds and units without minor units (gold, XXX) are
    /// refused.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        let unknown = || MoneyError::UnknownCurrency(code.to_string());
        let c = iso_currency::Currency::from_code(code.trim()).ok_or_else(unknown)?;
        let minor = c.exponent().ok_or_else(unknown)?;
        Ok(Currency {
            code: c,
            minor: u32::from(minor),
        })
    }

    pub fn code(&self) -> &'static str {
        self.code.code()
    }

    /// Digits after the decimal point: 2 for EUR, 0 for JPY.
    pub fn minor_units(&self) -> u32 {
        self.minor
    }

    /// `amount` rounded to the minor unit, half away from zero.
    pub fn round(&self, amount: Decimal) -> Decimal {
        let mut r =
            amount.round_dp_with_strategy(self.minor, RoundingStrategy::MidpointAwayFromZero);
        r.rescale(self.minor);
        r
    }

    /// An amount written in a file or a form ("120.00", "1500"): zero or more, at most a
    /// trillion, no more decimals than the currency has.
    pub fn amount(&self, text: &str) -> Result<Decimal, MoneyError> {
        let value = parse_decimal(text)?;
        if value.scale() > self.minor && value.normalize().scale() > self.minor {
            return Err(MoneyError::TooPrecise {
                amount: text.to_string(),
                currency: self.code().to_string(),
                minor: self.minor,
            });
        }
        Ok(self.round(value))
    }

    /// The amount with exactly the minor digits and a point, no symbol: "1234.50" (CSV, XML).
    pub fn plain(&self, amount: Decimal) -> String {
        self.round(amount).to_string()
    }

    /// The amount as a reader of `language` writes it: "€1,234.50", "1.234,50 €", "€ 1.234,50",
    /// "1 234,50 €"; "¥1,500".
    pub fn format(&self, amount: Decimal, language: Language) -> String {
        let plain = self.plain(amount.abs());
        let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
        let (group, point) = match language {
            Language::En => (",", "."),
            Language::Ru => ("\u{a0}", ","),
            _ => (".", ","),
        };
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push_str(group);
            }
            grouped.push(c);
        }
        let number = if fraction.is_empty() {
            grouped
        } else {
            format!("{grouped}{point}{fraction}")
        };
        let symbol = self.symbol();
        let sign = if amount.is_sign_negative() && !amount.is_zero() {
            "-"
        } else {
            ""
        };
        match language {
            Language::En => format!("{sign}{symbol}{number}"),
            Language::Nl => format!("{sign}{symbol}\u{a0}{number}"),
            _ => format!("{sign}{number}\u{a0}{symbol}"),
        }
    }

    /// The sign people write: € $ ¥ £; the code when it has none.
    pub fn symbol(&self) -> String {
        let s = self.code.symbol().to_string();
        if s.trim().is_empty() {
            self.code().to_string()
        } else {
            s
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Currency, MoneyError> {
        Currency::parse(&code)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_string()
    }
}

/// A decimal number written by a person: zero or more, at most a trillion.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let t = text.trim();
    let ok = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && t.bytes().filter(|b| *b == b'.').count() <= 1;
    let value: Decimal = if ok { t.parse().ok() } else { None }
        .ok_or_else(|| MoneyError::NotAnAmount(text.to_string()))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative(text.to_string()));
    }
    if value > Decimal::from(MAX_AMOUNT) {
        return Err(MoneyError::TooLarge(text.to_string()));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!(Currency::parse("EUR").unwrap().minor_units(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::parse("BHD").unwrap().minor_units(), 3);
        assert!(Currency::parse("EUX").is_err());
        assert!(Currency::parse("XAU").is_err());
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_minor_unit() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(eur.round(d("2.345")).to_string(), "2.35");
        assert_eq!(eur.round(d("2.3449")).to_string(), "2.34");
        assert_eq!(eur.round(d("7")).to_string(), "7.00");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.round(d("1500.5")).to_string(), "1501");
    }

    #[test]
    fn amounts_are_checked() {
        let eur = Currency::parse("EUR").unwrap();
        assert_eq!(eur.amount("120").unwrap().to_string(), "120.00");
        assert_eq!(eur.amount("120.50").unwrap().to_string(), "120.50");
        assert!(matches!(eur.amount("-5"), Err(MoneyError::Negative(_))));
        assert!(matches!(
            eur.amount("1.234"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert!(matches!(
            eur.amount("12,50"),
            Err(MoneyError::NotAnAmount(_))
        ));
        assert!(matches!(eur.amount("1e9"), Err(MoneyError::NotAnAmount(_))));
        let jpy = Currency::parse("JPY").unwrap();
        assert!(matches!(
            jpy.amount("10.5"),
            Err(MoneyError::TooPrecise { .. })
        ));
        assert_eq!(jpy.amount("15000").unwrap().to_string(), "15000");
    }

    #[test]
    fn amounts_are_written_as_each_language_writes_them() {
        let eur = Currency::parse("EUR").unwrap();
        let a = d("1234.5");
        assert_eq!(eur.format(a, Language::En), "€1,234.50");
        assert_eq!(eur.format(a, Language::Es), "1.234,50\u{a0}€");
        assert_eq!(eur.format(a, Language::Nl), "€\u{a0}1.234,50");
        assert_eq!(eur.format(a, Language::Ru), "1\u{a0}234,50\u{a0}€");
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.format(d("1500"), Language::En), "¥1,500");
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(usd.format(d("-90"), Language::En), "-$90.00");
    }
}
